import { headerList, isRecord, type JsonWebKeySet } from '../../../../shared/checker/index.js';
import type { ProbeFamily } from '../../../../shared/checker/report.js';
import { dualResponseHeaderNames, sdkSentRequestHeaderNames } from '../../../../shared/registry/index.js';
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
import type { ProbeResponse } from '../http.js';

const EXPECTED_ERROR = 'CANNOT_GET_OWN_USER_WITHOUT_USER';

function baseHeaders(ctx: ScenarioContext, overrideErrorStatus = true) {
  const { projectId, publishableClientKey } = ctx.state.options;
  return clientHeaders(ctx.family!, { projectId, publishableClientKey, overrideErrorStatus });
}

/** Read a dual-emitted response header the way this family's SDK does (old: stack only; new: hexclave ?? stack). */
function readAs(family: ProbeFamily, res: ProbeResponse, suffix: string): string | null {
  const [stack, hexclave] = dualResponseHeaderNames(suffix);
  return family === 'old' ? res.headers.get(stack) : (res.headers.get(hexclave) ?? res.headers.get(stack));
}

export async function projectInfo(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const res = await ctx.send({ path: '/api/v1/projects/current', headers: baseHeaders(ctx) });
  if (!succeeded(res)) return fail(`project info was refused: ${describeAnswer(res)}`);
  const id = field(res.json, 'id');
  if (id !== ctx.state.options.projectId) return fail(`project info answered project ${id ?? '(none)'}`);
  const config = isRecord(res.json) && isRecord(res.json.config) ? res.json.config : {};
  const providers = Array.isArray(config.enabled_oauth_providers) ? config.enabled_oauth_providers : [];
  const provider = providers.map((p) => field(p, 'id')).find(Boolean);
  if (ctx.state.oauthProviderId === undefined || provider) ctx.state.oauthProviderId = provider ?? null;
  if (config.client_user_deletion_enabled === true) ctx.state.clientUserDeletion = true;
  else ctx.state.clientUserDeletion ??= false;
  return pass(`project ${id} (${field(res.json, 'display_name') ?? 'no name'})`);
}

/** A browser's preflight for an SDK call: every header this family sends must be allowed. */
export async function corsPreflight(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const requested = [
    'content-type',
    ...nameFamilies(ctx.family!).flatMap((f) => sdkSentRequestHeaderNames(f)),
  ];
  const res = await ctx.send({
    method: 'OPTIONS',
    path: '/api/v1/users/me',
    headers: [
      ['origin', ctx.state.options.origin ?? 'http://localhost:3000'],
      ['access-control-request-method', 'GET'],
      ['access-control-request-headers', requested.join(',')],
    ],
  });
  if (res.status < 200 || res.status > 299 || !res.headers.get('access-control-allow-origin')) {
    return fail(`the preflight was refused: HTTP ${res.status}`);
  }
  const allowed = headerList(res.headers.get('access-control-allow-headers') ?? undefined);
  const blocked = allowed.has('*') ? [] : requested.filter((name) => !allowed.has(name));
  if (blocked.length > 0) return fail(`a browser would block the request: ${blocked.join(', ')} not allowed`);
  return pass('a browser may send every header this SDK generation uses');
}

/** The SDK's way: override-error-status turns the 4xx into 200 + actual-status, known-error names the code. */
export async function knownErrorWithOverride(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const res = await ctx.send({ path: '/api/v1/users/me', headers: baseHeaders(ctx) });
  const actual = readAs(ctx.family!, res, 'actual-status');
  const code = readAs(ctx.family!, res, 'known-error');
  if (res.status !== 200 || actual !== '400' || code !== EXPECTED_ERROR) {
    return fail(
      `expected HTTP 200, actual-status 400 and known-error ${EXPECTED_ERROR}; got HTTP ${res.status}, actual-status ${actual ?? '(none)'}, known-error ${code ?? '(none)'}`,
    );
  }
  return pass(`${EXPECTED_ERROR} came back as 200 + actual-status 400, readable by this SDK generation`);
}

export async function knownErrorWithoutOverride(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const res = await ctx.send({ path: '/api/v1/users/me', headers: baseHeaders(ctx, false) });
  const code = readAs(ctx.family!, res, 'known-error');
  if (res.status !== 400 || code !== EXPECTED_ERROR) {
    return fail(
      `expected HTTP 400 with known-error ${EXPECTED_ERROR}; got HTTP ${res.status}, known-error ${code ?? '(none)'}`,
    );
  }
  return pass(`${EXPECTED_ERROR} came back as a plain 400`);
}

export async function jwks(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const { projectId } = ctx.state.options;
  const res = await ctx.send({
    path: `/api/v1/projects/${encodeURIComponent(projectId)}/.well-known/jwks.json?include_anonymous=true`,
  });
  const keys = isRecord(res.json) && Array.isArray(res.json.keys) ? res.json.keys : null;
  if (res.status !== 200 || !keys) return fail(`the JWKS could not be read: ${describeAnswer(res)}`);
  if (keys.length === 0) return fail('the JWKS has no keys, so no token can be verified');
  ctx.state.jwks = { keys } as JsonWebKeySet;
  return pass(`${keys.length} signing key(s) published`);
}

export function needsServerKey(ctx: ScenarioContext): ScenarioOutcome | null {
  return ctx.state.options.secretServerKey ? null : skipped('no --secret-server-key given');
}
