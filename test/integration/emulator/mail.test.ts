import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import * as newSdk from 'stack-sdk-new';
import * as oldSdk from 'stack-sdk-old';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompatMode, openMailbox, type RunningEmulator } from '../../../main/emulator/index.js';
import { apiFetch, setupTestEmulator, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { waitUntil } from '../../helpers/wait.js';

interface InbucketHeader {
  mailbox: string;
  id: string;
  from: string;
  to: string[];
  subject: string;
  date: string;
  'posix-millis': number;
  size: number;
  seen: boolean;
}

const mailbox = async (emulator: RunningEmulator, name: string) =>
  (await (
    await fetch(`${emulator.mailboxUrl}/api/v1/mailbox/${encodeURIComponent(name)}`)
  ).json()) as InbucketHeader[];

const message = async (emulator: RunningEmulator, name: string, id: string) =>
  (await (
    await fetch(`${emulator.mailboxUrl}/api/v1/mailbox/${encodeURIComponent(name)}/${id}`)
  ).json()) as InbucketHeader & {
    body: { text: string; html: string };
  };

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: the mailbox', (compat) => {
  const emulator = setupTestEmulator({ compat });
  // The SDK a team on this generation uses: the new one in dual mode, the old one in legacy.
  const clientApp = (options: { projectId: string; publishableClientKey: string; baseUrl: string }) =>
    compat === 'dual'
      ? new newSdk.StackClientApp({ ...options, tokenStore: 'memory' })
      : new oldSdk.StackClientApp({ ...options, tokenStore: 'memory' });

  it('captures the verification e-mail of an SDK sign-up, readable through the Inbucket API', async () => {
    const client = clientApp({
      projectId: emulator().projectId,
      publishableClientKey: emulator().publishableClientKey,
      baseUrl: emulator().apiUrl,
    });
    const name = `sdk-signup-${compat}`;
    const result = await client.signUpWithCredential({
      email: `${name}@example.com`,
      password: 'a long password',
      noRedirect: true,
      verificationCallbackUrl: 'http://localhost:3000/handler/email-verification',
    });
    expect(result.status).toBe('ok');

    const [header, ...others] = await mailbox(emulator(), name);
    expect(others).toEqual([]);
    expect(header).toMatchObject({
      mailbox: name,
      from: 'Hexclave Companion emulator <noreply@example.com>',
      to: [`<${name}@example.com>`],
      subject: 'Verify your email at Hexclave Companion emulator',
      seen: false,
    });
    const full = await message(emulator(), name, header!.id);
    const code = /http:\/\/localhost:3000\/handler\/email-verification\?code=([a-z0-9]{45})/.exec(
      full.body.text,
    )?.[1];
    expect(code).toBeDefined();
    expect(full.body.html).toContain(code);
    expect(full.seen).toBe(true);
    // The link's code is a real VerificationCode row, for the verify endpoint to accept.
    const db = new pg.Client({ connectionString: emulator().internalDatabaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT "type", "method" FROM "VerificationCode" WHERE "code" = $1`, [
      code,
    ]);
    await db.end();
    expect(rows).toEqual([
      { type: 'CONTACT_CHANNEL_VERIFICATION', method: { email: `${name}@example.com` } },
    ]);
  });

  it('sends nothing without a callback URL, and a DELETE empties a mailbox', async () => {
    const name = `quiet-${compat}`;
    const quiet = await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      family: compat === 'dual' ? 'hexclave' : 'stack',
      body: { email: `${name}@example.com`, password: 'a long password' },
    });
    expect(quiet.status).toBe(200);
    expect(await mailbox(emulator(), name)).toEqual([]);

    const loud = `loud-${compat}`;
    await apiFetch(emulator(), '/auth/password/sign-up', {
      method: 'POST',
      body: {
        email: `${loud}@example.com`,
        password: 'a long password',
        verification_callback_url: 'http://localhost/v',
      },
    });
    expect(await mailbox(emulator(), loud)).toHaveLength(1);
    expect(
      (await fetch(`${emulator().mailboxUrl}/api/v1/mailbox/${loud}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect(await mailbox(emulator(), loud)).toEqual([]);
    expect((await fetch(`${emulator().mailboxUrl}/api/v1/mailbox/${loud}/nope`)).status).toBe(404);
  });
});

describe('the main-side mailbox reader (what the desktop Mail screen uses)', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  it('lists mailboxes and messages, reads, clears, and hears new mail as it arrives', async () => {
    const reader = openMailbox(emulator().internalDatabaseUrl);
    try {
      const heard: string[] = [];
      const unsubscribe = await reader.onMessage((name) => heard.push(name));
      await apiFetch(emulator(), '/auth/password/sign-up', {
        method: 'POST',
        body: {
          email: 'Reader@Example.com',
          password: 'a long password',
          verification_callback_url: 'http://localhost/v',
        },
      });
      await waitUntil(
        () => heard,
        (names) => names.includes('reader'),
        'the new-mail notification',
      );
      unsubscribe();
      expect(await reader.mailboxes()).toEqual([
        { mailbox: 'reader', count: 1, unseen: 1, latestAtMillis: expect.any(Number) },
      ]);
      const [listed] = await reader.list('reader');
      expect(listed).toMatchObject({
        kind: 'email-verification',
        to: 'reader@example.com',
        relayResult: null,
      });
      expect((await reader.get('reader', listed!.id))?.seen).toBe(true);
      expect(await reader.clear()).toBe(1);
      expect(await reader.list()).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});

describe('the SMTP relay', () => {
  let smtp: SMTPServer;
  let smtpPort: number;
  const received: { to: string; data: string }[] = [];
  let emulator: TestEmulator;
  let unreachable: TestEmulator;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => {
          data += chunk.toString('utf8');
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as { port: number }).port;
    emulator = await startTestEmulator({ compat: 'dual', smtpRelay: `smtp://127.0.0.1:${smtpPort}` });
    // Port 1 on loopback refuses connections: a relay that is down.
    unreachable = await startTestEmulator({
      compat: 'dual',
      smtpRelay: 'smtp://127.0.0.1:1',
      label: 'relay_down',
    });
  });

  afterAll(async () => {
    await emulator?.stop();
    await unreachable?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('delivers every captured message to the configured server, and records that it did', async () => {
    await apiFetch(emulator, '/auth/password/sign-up', {
      method: 'POST',
      body: {
        email: 'relayed@example.com',
        password: 'a long password',
        verification_callback_url: 'http://localhost/v',
      },
    });
    const [delivered] = await waitUntil(
      () => received,
      (r) => r.length > 0,
      'the relayed message',
    );
    expect(delivered!.to).toBe('relayed@example.com');
    expect(delivered!.data).toContain('Subject: Verify your email at Hexclave Companion emulator');
    const reader = openMailbox(emulator.internalDatabaseUrl);
    try {
      await waitUntil(
        async () => (await reader.list('relayed'))[0]?.relayResult,
        (r) => r === 'sent',
        'relay result',
      );
    } finally {
      await reader.close();
    }
  });

  it('still captures (and answers 200) when the relay is down, recording the relay’s error', async () => {
    const response = await apiFetch(unreachable, '/auth/password/sign-up', {
      method: 'POST',
      body: {
        email: 'stranded@example.com',
        password: 'a long password',
        verification_callback_url: 'http://localhost/v',
      },
    });
    expect(response.status).toBe(200);
    expect(await mailbox(unreachable, 'stranded')).toHaveLength(1);
    const reader = openMailbox(unreachable.internalDatabaseUrl);
    try {
      const result = await waitUntil(
        async () => (await reader.list('stranded'))[0]?.relayResult,
        (r) => typeof r === 'string' && r.startsWith('error:'),
        'the relay error',
      );
      expect(result).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await reader.close();
    }
  });
});
