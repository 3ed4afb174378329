import * as newSdk from 'stack-sdk-new';
import * as oldSdk from 'stack-sdk-old';
import { describe, expect, it } from 'vitest';
import type { CompatMode, RunningEmulator } from '../../../main/emulator/index.js';
import { dualResponseHeaderNames } from '../../../shared/registry/index.js';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';
import { waitUntil } from '../../helpers/wait.js';

const CALLBACK = 'http://localhost:3000/handler/callback';
const [KNOWN_ERROR] = dualResponseHeaderNames('header.known-error');

interface MailboxMessage {
  id: string;
  subject: string;
  body: { text: string; html: string };
}

/** Every message of a mailbox, in full, as upstream's e2e helpers read them (Inbucket API). */
async function messages(emulator: RunningEmulator, address: string): Promise<MailboxMessage[]> {
  const name = address.split('@')[0]!;
  const headers = (await (await fetch(`${emulator.mailboxUrl}/api/v1/mailbox/${name}`)).json()) as {
    id: string;
  }[];
  return Promise.all(
    headers.map(
      async (h) =>
        (await (
          await fetch(`${emulator.mailboxUrl}/api/v1/mailbox/${name}/${h.id}`)
        ).json()) as MailboxMessage,
    ),
  );
}

/** The code in the newest message whose subject starts with `subject` (the link's `?code=`). */
async function codeFromMail(emulator: RunningEmulator, address: string, subject: string): Promise<string> {
  const found = await waitUntil(
    () => messages(emulator, address),
    (list) => list.some((m) => m.subject.startsWith(subject)),
    `a "${subject}" e-mail to ${address}`,
    10_000,
  );
  const message = found.filter((m) => m.subject.startsWith(subject)).at(-1)!;
  const code = new RegExp(`${CALLBACK}\\?code=([a-z0-9]{45})`).exec(message.body.text)?.[1];
  if (!code) throw new Error(`No code link in: ${message.body.text}`);
  return code;
}

function sdkApps(compat: CompatMode, emulator: RunningEmulator) {
  const common = {
    projectId: emulator.projectId,
    publishableClientKey: emulator.publishableClientKey,
    baseUrl: emulator.apiUrl,
  };
  const server = { ...common, secretServerKey: emulator.secretServerKey, tokenStore: 'memory' as const };
  // The SDK a team on this generation uses: the new one in dual mode, the old one in legacy.
  return compat === 'dual'
    ? {
        client: () => new newSdk.StackClientApp({ ...common, tokenStore: 'memory' }),
        server: new newSdk.StackServerApp(server),
      }
    : {
        client: () => new oldSdk.StackClientApp({ ...common, tokenStore: 'memory' }),
        server: new oldSdk.StackServerApp(server),
      };
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: auth flows through the mailbox', (compat) => {
  const emulator = setupTestEmulator({ compat });
  const family = compat === 'dual' ? 'hexclave' : 'stack';

  it('magic link: the SDK sends the e-mail, signs up with its link, and signs in again with the OTP', async () => {
    const email = `otp-${compat}@example.com`;
    const client = sdkApps(compat, emulator()).client();
    const sent = await client.sendMagicLinkEmail(email, { callbackUrl: CALLBACK });
    expect(sent.status).toBe('ok');
    const link = await codeFromMail(
      emulator(),
      email,
      'Sign in to Hexclave Companion emulator: Your code is ',
    );
    expect((await client.signInWithMagicLink(link, { noRedirect: true })).status).toBe('ok');
    const user = await client.getUser({ or: 'throw' });
    expect(user.primaryEmail).toBe(email);
    expect(user.primaryEmailVerified).toBe(true);
    expect(user.otpAuthEnabled).toBe(true);

    // The same link again: already used.
    const reused = await client.signInWithMagicLink(link, { noRedirect: true });
    expect(reused.status === 'error' && reused.error.errorCode).toBe('VERIFICATION_CODE_ALREADY_USED');

    // The six characters in the e-mail plus the nonce the send answered with sign the same user in.
    const again = await apiFetch(emulator(), '/auth/otp/send-sign-in-code', {
      method: 'POST',
      family,
      body: { email, callback_url: CALLBACK },
    });
    const { nonce } = (await again.json()) as { nonce: string };
    expect(nonce).toMatch(/^[a-z0-9]{39}$/);
    const mail = await waitUntil(
      () => messages(emulator(), email),
      (list) => list.some((m) => m.body.html.includes(nonce)),
      'the second sign-in e-mail',
      10_000,
    );
    const otp = />([A-Z0-9]{6})<\/p>/.exec(mail.find((m) => m.body.html.includes(nonce))!.body.html)?.[1];
    expect(otp).toBeDefined();
    const check = await apiFetch(emulator(), '/auth/otp/sign-in/check-code', {
      method: 'POST',
      family,
      body: { code: `${otp}${nonce}` },
    });
    expect(await check.json()).toEqual({ is_code_valid: true });
    const signIn = await apiFetch(emulator(), '/auth/otp/sign-in', {
      method: 'POST',
      family,
      body: { code: `${otp}${nonce}` },
    });
    expect(await signIn.json()).toMatchObject({ user_id: user.id, is_new_user: false });
  });

  it('refuses wrong codes, unverified e-mails, untrusted callbacks and projects without OTP, in upstream’s words', async () => {
    const post = (path: string, body: unknown) =>
      apiFetch(emulator(), path, { method: 'POST', family, body });
    const wrong = await post('/auth/otp/sign-in', { code: 'a'.repeat(45) });
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get(KNOWN_ERROR!)).toBe('VERIFICATION_CODE_NOT_FOUND');
    const short = await post('/auth/otp/sign-in', { code: 'abc' });
    expect(((await short.json()) as { error: string }).error).toContain(
      'body.code must be exactly 45 characters',
    );

    const { server } = sdkApps(compat, emulator());
    const unverified = `unverified-${compat}@example.com`;
    await server.createUser({
      primaryEmail: unverified,
      primaryEmailAuthEnabled: true,
      primaryEmailVerified: false,
    });
    const taken = await post('/auth/otp/send-sign-in-code', { email: unverified, callback_url: CALLBACK });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({
      code: 'USER_EMAIL_ALREADY_EXISTS',
      details: { email: unverified, would_work_if_email_was_verified: true },
    });

    const untrusted = await post('/auth/otp/send-sign-in-code', {
      email: `elsewhere-${compat}@example.com`,
      callback_url: 'ftp://evil.example/cb',
    });
    expect(untrusted.headers.get(KNOWN_ERROR!)).toBe('REDIRECT_URL_NOT_WHITELISTED');

    const projects = await apiFetch(emulator(), '/internal/projects/current', {
      method: 'PATCH',
      access: 'admin',
      family,
      body: { config: { magic_link_enabled: false } },
    });
    expect(projects.status).toBe(200);
    try {
      const off = await post('/auth/otp/send-sign-in-code', {
        email: `off-${compat}@example.com`,
        callback_url: CALLBACK,
      });
      expect(off.status).toBe(403);
      expect(await off.text()).toBe('OTP sign-in is not enabled for this project');
    } finally {
      await apiFetch(emulator(), '/internal/projects/current', {
        method: 'PATCH',
        access: 'admin',
        family,
        body: { config: { magic_link_enabled: true } },
      });
    }
  });

  it('password reset: the SDK sends the e-mail, checks and uses the code; the old password and sessions end', async () => {
    const email = `reset-${compat}@example.com`;
    const { client, server } = sdkApps(compat, emulator());
    await server.createUser({
      primaryEmail: email,
      password: 'the old password',
      primaryEmailAuthEnabled: true,
    });
    const signedIn = client();
    expect(
      (await signedIn.signInWithCredential({ email, password: 'the old password', noRedirect: true })).status,
    ).toBe('ok');
    const oldRefreshToken = await (await signedIn.getUser({ or: 'throw' })).getRefreshToken();

    const anonymous = client();
    expect((await anonymous.sendForgotPasswordEmail(email, { callbackUrl: CALLBACK })).status).toBe('ok');
    const code = await codeFromMail(emulator(), email, 'Reset your password at ');
    expect((await anonymous.verifyPasswordResetCode(code)).status).toBe('ok');
    // A policy failure is thrown (the SDK returns only code errors) and leaves the code usable.
    await expect(anonymous.resetPassword({ code, password: 'short' })).rejects.toMatchObject({
      errorCode: 'PASSWORD_TOO_SHORT',
    });
    expect((await anonymous.resetPassword({ code, password: 'the new password' })).status).toBe('ok');
    const reused = await anonymous.verifyPasswordResetCode(code);
    expect(reused.status === 'error' && reused.error.errorCode).toBe('VERIFICATION_CODE_ALREADY_USED');

    const old = await anonymous.signInWithCredential({
      email,
      password: 'the old password',
      noRedirect: true,
    });
    expect(old.status === 'error' && old.error.errorCode).toBe('EMAIL_PASSWORD_MISMATCH');
    expect(
      (await anonymous.signInWithCredential({ email, password: 'the new password', noRedirect: true }))
        .status,
    ).toBe('ok');
    const refresh = await apiFetch(emulator(), '/auth/sessions/current/refresh', {
      method: 'POST',
      family,
      refreshToken: oldRefreshToken!,
    });
    expect(refresh.status).toBe(401);

    // An unknown address gets the same answer and no e-mail.
    const unknown = await apiFetch(emulator(), '/auth/password/send-reset-code', {
      method: 'POST',
      family,
      body: { email: `nobody-${compat}@example.com`, callback_url: CALLBACK },
    });
    expect(await unknown.json()).toEqual({ success: 'maybe, only if user with e-mail exists' });
    expect(await messages(emulator(), `nobody-${compat}@example.com`)).toEqual([]);
  });

  it('password set and update: a magic-link user adds one, then changes it; other sessions end', async () => {
    const email = `setpw-${compat}@example.com`;
    const { client } = sdkApps(compat, emulator());
    const app = client();
    await app.sendMagicLinkEmail(email, { callbackUrl: CALLBACK });
    await app.signInWithMagicLink(await codeFromMail(emulator(), email, 'Sign in to '), { noRedirect: true });
    const user = await app.getUser({ or: 'throw' });
    expect(user.hasPassword).toBe(false);
    expect(await user.setPassword({ password: 'first password' })).toBeUndefined();
    const twice = await apiFetch(emulator(), '/auth/password/set', {
      method: 'POST',
      family,
      accessToken: (await user.getAccessToken())!,
      body: { password: 'second password' },
    });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toBe('User already has a password set.');

    const other = client();
    expect(
      (await other.signInWithCredential({ email, password: 'first password', noRedirect: true })).status,
    ).toBe('ok');
    const otherRefresh = await (await other.getUser({ or: 'throw' })).getRefreshToken();

    const mismatch = await user.updatePassword({
      oldPassword: 'not it at all',
      newPassword: 'second password',
    });
    expect(mismatch?.errorCode).toBe('PASSWORD_CONFIRMATION_MISMATCH');
    expect(
      await user.updatePassword({ oldPassword: 'first password', newPassword: 'second password' }),
    ).toBeUndefined();
    // The session that changed it stays; the other one is ended.
    const mine = await apiFetch(emulator(), '/auth/sessions/current/refresh', {
      method: 'POST',
      family,
      refreshToken: (await user.getRefreshToken())!,
    });
    expect(mine.status).toBe(200);
    const theirs = await apiFetch(emulator(), '/auth/sessions/current/refresh', {
      method: 'POST',
      family,
      refreshToken: otherRefresh!,
    });
    expect(theirs.status).toBe(401);
  });

  it('contact channels: the SDK sends a verification e-mail for a new channel and verifies it with the code', async () => {
    const email = `cc-verify-${compat}@example.com`;
    const second = `cc-second-${compat}@example.com`;
    const { client } = sdkApps(compat, emulator());
    const app = client();
    expect(
      (
        await app.signUpWithCredential({
          email,
          password: 'a long password',
          noRedirect: true,
          verificationCallbackUrl: CALLBACK,
        })
      ).status,
    ).toBe('ok');
    const user = await app.getUser({ or: 'throw' });
    const channel = await user.createContactChannel({ type: 'email', value: second, usedForAuth: false });
    expect(channel.isVerified).toBe(false);
    await channel.sendVerificationEmail({ callbackUrl: CALLBACK });
    const code = await codeFromMail(emulator(), second, 'Verify your email at ');
    expect((await app.verifyEmail(code)).status).toBe('ok');
    const channels = await user.listContactChannels();
    expect(channels.find((c) => c.value === second)?.isVerified).toBe(true);

    const already = await apiFetch(emulator(), `/contact-channels/me/${channel.id}/send-verification-code`, {
      method: 'POST',
      family,
      accessToken: (await user.getAccessToken())!,
      body: { callback_url: CALLBACK },
    });
    expect(already.status).toBe(409);
    expect(already.headers.get(KNOWN_ERROR!)).toBe('EMAIL_ALREADY_VERIFIED');

    // The older endpoint behind the SDK's deprecated user.sendVerificationEmail() (which needs a browser for its
    // callback URL) sends for the primary e-mail only.
    const legacySend = (address: string) =>
      user.getAccessToken().then((token) =>
        apiFetch(emulator(), '/contact-channels/send-verification-code', {
          method: 'POST',
          family,
          accessToken: token!,
          body: { email: address, callback_url: CALLBACK },
        }),
      );
    const notPrimary = await legacySend(second);
    expect(notPrimary.headers.get(KNOWN_ERROR!)).toBe('EMAIL_IS_NOT_PRIMARY_EMAIL');
    expect((await legacySend(email)).status).toBe(200);
    const primaryCode = await codeFromMail(emulator(), email, 'Verify your email at ');
    expect((await app.verifyEmail(primaryCode)).status).toBe('ok');
    expect((await app.getUser({ or: 'throw' })).primaryEmailVerified).toBe(true);
  });

  it('sessions: the SDK lists them and revokes another; the current one cannot be deleted', async () => {
    const email = `sessions-${compat}@example.com`;
    const { client } = sdkApps(compat, emulator());
    const first = client();
    await first.signUpWithCredential({
      email,
      password: 'a long password',
      noRedirect: true,
      verificationCallbackUrl: CALLBACK,
    });
    const second = client();
    await second.signInWithCredential({ email, password: 'a long password', noRedirect: true });
    const user = await first.getUser({ or: 'throw' });
    const sessions = await user.getActiveSessions();
    expect(sessions).toHaveLength(2);
    const current = sessions.find((s) => s.isCurrentSession)!;
    const other = sessions.find((s) => !s.isCurrentSession)!;
    expect(current.userId).toBe(user.id);
    expect(other.createdAt).toBeInstanceOf(Date);

    const deleteCurrent = await apiFetch(emulator(), `/auth/sessions/${current.id}?user_id=me`, {
      method: 'DELETE',
      family,
      accessToken: (await user.getAccessToken())!,
    });
    expect(deleteCurrent.status).toBe(400);
    expect(deleteCurrent.headers.get(KNOWN_ERROR!)).toBe('CANNOT_DELETE_CURRENT_SESSION');

    const secondRefreshToken = await (await second.getUser({ or: 'throw' })).getRefreshToken();
    await user.revokeSession(other.id);
    expect((await user.getActiveSessions()).map((s) => s.id)).toEqual([current.id]);
    const refresh = await apiFetch(emulator(), '/auth/sessions/current/refresh', {
      method: 'POST',
      family,
      refreshToken: secondRefreshToken!,
    });
    expect(refresh.status).toBe(401);

    const stranger = await apiFetch(emulator(), `/auth/sessions?user_id=${crypto.randomUUID()}`, {
      family,
      accessToken: (await user.getAccessToken())!,
    });
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).toBe('Client can only list sessions for their own user.');
  });
});
