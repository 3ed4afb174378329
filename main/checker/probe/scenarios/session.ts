import { secureRandomString } from '../../../../shared/encoding.js';
import { identifier } from '../../../../shared/registry/index.js';
import { clientHeaders } from '../client-headers.js';
import {
  describeAnswer,
  type FamilySession,
  fail,
  field,
  pass,
  type ScenarioContext,
  type ScenarioOutcome,
  skipped,
  succeeded,
} from '../context.js';
import { userScenariosNotChecked } from './cleanup.js';

const PUBLIC_CLIENT_SENTINEL = identifier('oauth.public-client-sentinel').old;

function session(ctx: ScenarioContext): FamilySession {
  return ctx.state.sessions[ctx.family!];
}

function noSession(ctx: ScenarioContext): string {
  return userScenariosNotChecked(ctx.state) ?? 'no session (sign-in did not succeed)';
}

function headers(ctx: ScenarioContext, extra: { accessToken?: string; refreshToken?: string } = {}) {
  const { projectId, publishableClientKey } = ctx.state.options;
  return clientHeaders(ctx.family!, { projectId, publishableClientKey, ...extra });
}

/** Sign up a throwaway user (deleted again at the end; see decideCleanup). */
export async function signUp(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const notChecked = userScenariosNotChecked(ctx.state);
  if (notChecked) return skipped(notChecked);
  const family = ctx.family!;
  const user = {
    family,
    email: `hexclave-check-${family}-${secureRandomString(40)}@example.com`,
    password: `Check-${secureRandomString(80)}`,
  };
  const res = await ctx.send({
    method: 'POST',
    path: '/api/v1/auth/password/sign-up',
    headers: headers(ctx),
    json: { email: user.email, password: user.password },
  });
  const userId = field(res.json, 'user_id');
  if (!succeeded(res) || !userId) return fail(`sign-up was refused: ${describeAnswer(res)}`);
  const created = { ...user, userId, accessToken: field(res.json, 'access_token') };
  ctx.state.users.push(created);
  session(ctx).user = created;
  return pass(`created throwaway user ${user.email}`);
}

/** Sign in with this family's user, or with one another family created when this family could not sign up. */
export async function signIn(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const user = session(ctx).user ?? ctx.state.users[0];
  if (!user) {
    return skipped(
      userScenariosNotChecked(ctx.state) ??
        'no throwaway user could be created, so there is nobody to sign in',
    );
  }
  const res = await ctx.send({
    method: 'POST',
    path: '/api/v1/auth/password/sign-in',
    headers: headers(ctx),
    json: { email: user.email, password: user.password },
  });
  const accessToken = field(res.json, 'access_token');
  const refreshToken = field(res.json, 'refresh_token');
  if (!succeeded(res) || !accessToken || !refreshToken) return fail(`sign-in failed: ${describeAnswer(res)}`);
  Object.assign(session(ctx), {
    accessToken,
    refreshToken,
    userId: field(res.json, 'user_id') ?? user.userId,
  });
  return pass('signed in with email and password and received both tokens');
}

export async function usersMe(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const s = session(ctx);
  if (!s.accessToken) return skipped(noSession(ctx));
  const res = await ctx.send({
    path: '/api/v1/users/me',
    headers: headers(ctx, { accessToken: s.accessToken, refreshToken: s.refreshToken }),
  });
  const id = field(res.json, 'id');
  if (!succeeded(res)) return fail(`users/me failed: ${describeAnswer(res)}`);
  if (id !== s.userId) return fail(`users/me answered user ${id ?? '(none)'} instead of ${s.userId}`);
  return pass('users/me returned the signed-in user');
}

/** The refresh path the docs, e2e helpers and the Swift SDK use: refresh token in a request header. */
export async function refreshViaHeader(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const s = session(ctx);
  if (!s.refreshToken) return skipped(noSession(ctx));
  const res = await ctx.send({
    method: 'POST',
    path: '/api/v1/auth/sessions/current/refresh',
    headers: headers(ctx, { refreshToken: s.refreshToken }),
  });
  const accessToken = field(res.json, 'access_token');
  if (!succeeded(res) || !accessToken)
    return fail(`refresh with the refresh-token header failed: ${describeAnswer(res)}`);
  s.accessToken = accessToken;
  return pass('a new access token came back');
}

/** The refresh path both JS SDK versions use: an OAuth refresh grant with no custom headers. */
export async function refreshViaOAuthToken(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const s = session(ctx);
  if (!s.refreshToken) return skipped(noSession(ctx));
  const { projectId, publishableClientKey } = ctx.state.options;
  const res = await ctx.send({
    method: 'POST',
    path: '/api/v1/auth/oauth/token',
    headers: [['accept', 'application/json']],
    form: {
      grant_type: 'refresh_token',
      refresh_token: s.refreshToken,
      client_id: projectId,
      client_secret: publishableClientKey || PUBLIC_CLIENT_SENTINEL,
    },
  });
  const accessToken = field(res.json, 'access_token');
  if (!succeeded(res) || !accessToken) return fail(`the OAuth refresh grant failed: ${describeAnswer(res)}`);
  s.accessToken = accessToken;
  return pass('a new access token came back');
}
