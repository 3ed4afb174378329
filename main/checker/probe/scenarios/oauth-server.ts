import { isRecord, parseSetCookies } from '../../../../shared/checker/index.js';
import { secureRandomString } from '../../../../shared/encoding.js';
import { identifier, parseCookieName } from '../../../../shared/registry/index.js';
import { clientHeaders, nameFamilies } from '../client-headers.js';
import {
  describeAnswer,
  fail,
  field,
  pass,
  type ScenarioContext,
  type ScenarioOutcome,
  skipped,
  succeeded,
} from '../context.js';
import { needsServerKey } from './wire.js';

const RESPONSE_MODE = identifier('param.response-mode');
const INNER_STATE = identifier('cookie.oauth-inner');

function authorizePath(ctx: ScenarioContext, mode: 'json' | 'redirect'): string {
  const { projectId, publishableClientKey, origin = 'http://localhost:3000' } = ctx.state.options;
  const params = new URLSearchParams();
  // 2.8.108 puts the hexclave name first when it sends both.
  for (const family of [...nameFamilies(ctx.family!)].reverse()) {
    params.set(family === 'stack' ? RESPONSE_MODE.old : RESPONSE_MODE.new!, mode);
  }
  const query = {
    client_id: projectId,
    client_secret: publishableClientKey,
    redirect_uri: `${origin}/handler/oauth-callback`,
    error_redirect_url: `${origin}/handler/error`,
    scope: 'legacy',
    state: secureRandomString(),
    grant_type: 'authorization_code',
    code_challenge: secureRandomString(256),
    code_challenge_method: 'S256',
    response_type: 'code',
    type: 'authenticate',
  };
  for (const [name, value] of Object.entries(query)) params.set(name, value);
  return `/api/v1/auth/oauth/authorize/${encodeURIComponent(ctx.state.oauthProviderId!)}?${params}`;
}

function noProvider(ctx: ScenarioContext): ScenarioOutcome | null {
  if (ctx.state.oauthProviderId) return null;
  return skipped(
    ctx.state.oauthProviderId === null
      ? 'the project has no OAuth provider enabled'
      : 'project info could not be read, so no OAuth provider is known',
  );
}

/** What the SDK does: ask for JSON so it can handle bot challenges before navigating. */
export async function authorizeJson(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const skip = noProvider(ctx);
  if (skip) return skip;
  const res = await ctx.send({ path: authorizePath(ctx, 'json') });
  const location = field(res.json, 'location');
  if (res.status >= 300 && res.status < 400) {
    return fail(
      `asked for a JSON answer but got a ${res.status} redirect: the response-mode parameter was ignored`,
    );
  }
  if (!succeeded(res) || !location) return fail(`authorize (json mode) failed: ${describeAnswer(res)}`);
  return pass(`the provider URL came back as JSON (${new URL(location).host})`);
}

/** Redirect mode: a 3xx to the provider plus the CSRF inner-state cookie, written in both families. */
export async function authorizeRedirect(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const skip = noProvider(ctx);
  if (skip) return skip;
  const res = await ctx.send({ path: authorizePath(ctx, 'redirect') });
  if (res.status < 300 || res.status > 399)
    return fail(`expected a redirect to the provider; got ${describeAnswer(res)}`);
  const families = new Set(
    parseSetCookies(res.headers.getSetCookie())
      .map((c) => parseCookieName(c.name))
      .filter((p) => p?.entryId === INNER_STATE.id)
      .map((p) => p!.family),
  );
  const missing = (['stack', 'hexclave'] as const).filter((f) => !families.has(f));
  if (missing.length > 0) {
    const names = missing.map((f) => (f === 'stack' ? INNER_STATE.old : INNER_STATE.new!));
    return fail(`redirected, but the inner-state cookie was not dual-written: no ${names.join(' or ')}`);
  }
  return pass('redirected to the provider and set the inner-state cookie under both names');
}

function serverHeaders(ctx: ScenarioContext, family = ctx.family ?? 'old') {
  const { projectId, publishableClientKey, secretServerKey } = ctx.state.options;
  return clientHeaders(family, { projectId, publishableClientKey, secretServerKey, accessType: 'server' });
}

export async function serverUsersList(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const skip = needsServerKey(ctx);
  if (skip) return skip;
  const res = await ctx.send({ path: '/api/v1/users?limit=1', headers: serverHeaders(ctx) });
  const items = isRecord(res.json) && Array.isArray(res.json.items) ? res.json.items : null;
  if (!succeeded(res) || !items)
    return fail(`listing users with the secret server key failed: ${describeAnswer(res)}`);
  return pass('listed users with the secret server key');
}
