/**
 * Every rule the engine knows, with a plain-words reason. Rule files look their metadata up here so a report,
 * the docs and the UI describe a rule the same way.
 */

export type RuleFamily =
  | 'response-headers'
  | 'actual-status'
  | 'known-error'
  | 'cors'
  | 'token'
  | 'cookies'
  | 'client'
  | 'query-params'
  | 'sdk-hazards';

export type RuleInput = 'exchange' | 'exchange-async' | 'snapshot';

export interface RuleInfo {
  readonly id: string;
  readonly family: RuleFamily;
  readonly input: RuleInput;
  readonly title: string;
  /** What breaks for a real app when the rule fires. */
  readonly why: string;
}

function r(id: string, family: RuleFamily, input: RuleInput, title: string, why: string): RuleInfo {
  return { id, family, input, title, why };
}

export const RULES: readonly RuleInfo[] = [
  r(
    'response-header.missing-twin',
    'response-headers',
    'exchange',
    'Dual-emitted response header in one family only',
    'Old SDKs read only x-stack-* and new SDKs read x-hexclave-* first; a dual backend must send both names on every response.',
  ),
  r(
    'response-header.values-differ',
    'response-headers',
    'exchange',
    'Both families of a response header carry different values',
    'A new SDK trusts the hexclave value and an old SDK the stack value, so the two generations see different answers to the same request.',
  ),
  r(
    'actual-status.without-override',
    'actual-status',
    'exchange',
    'actual-status sent without the override request header',
    'Only a client that asked (override-error-status) expects its 4xx turned into 200; anyone else now reads an error as a success.',
  ),
  r(
    'actual-status.not-4xx',
    'actual-status',
    'exchange',
    'actual-status carries a status that is not 4xx',
    'Only 4xx may be rewritten to 200. A 5xx hidden behind 200 makes SDKs and monitoring treat a server failure as success.',
  ),
  r(
    'actual-status.http-not-200',
    'actual-status',
    'exchange',
    'actual-status present but the HTTP status is not 200',
    'The override contract is “HTTP 200 + the real status in actual-status”; anything else means the rewrite was half-done.',
  ),
  r(
    'actual-status.override-ignored',
    'actual-status',
    'exchange',
    'Override header sent, 4xx returned anyway',
    'The backend did not recognise the override header in the family the client used; in browsers the SDK then sees a real 4xx instead of a readable error.',
  ),
  r(
    'actual-status.error-as-success',
    'actual-status',
    'exchange',
    'Known error answered with 200 and no actual-status',
    'The SDK cannot tell the real status, so an error is reported with the wrong status (or as a success).',
  ),
  r(
    'known-error.body-mismatch',
    'known-error',
    'exchange',
    'known-error header differs from the body code',
    'Both SDK generations assert header === body.code and throw “the server’s response is invalid” when it does not match.',
  ),
  r(
    'known-error.header-missing',
    'known-error',
    'exchange',
    'Error body with a code but no known-error header',
    'Without the header the SDK does not rebuild the KnownError, so apps get a generic error instead of e.g. USER_NOT_FOUND.',
  ),
  r(
    'cors.preflight-failed',
    'cors',
    'exchange',
    'CORS preflight refused',
    'The browser blocks the real request: every SDK call from a web page fails as a network TypeError.',
  ),
  r(
    'cors.request-header-not-allowed',
    'cors',
    'exchange',
    'Preflight does not allow a header the client sends',
    'The browser refuses to send the request, so every call of that SDK generation dies before reaching the backend.',
  ),
  r(
    'cors.request-family-incomplete',
    'cors',
    'exchange',
    'Allow-Headers lists only one family of a request header',
    'Every old and new request header name must be allowed, or one SDK generation cannot send it from a browser.',
  ),
  r(
    'cors.expose-family-incomplete',
    'cors',
    'exchange',
    'Expose-Headers lists only one family of a response header',
    'Browsers hide unexposed headers from JavaScript, so the SDK generation that reads the missing name cannot see it cross-origin.',
  ),
  r(
    'token.unparsable',
    'token',
    'exchange',
    'Access token is not a JWT',
    'SDKs reject tokens they cannot decode; the user is signed out.',
  ),
  r(
    'token.issuer',
    'token',
    'exchange',
    'Issuer has a wrong path or names another project',
    'Backends and integrations (Convex, your own API) build the accepted issuers from the three issuer paths and the project id; a token with another path or project fails everywhere.',
  ),
  r(
    'token.issuer-origin',
    'token',
    'exchange',
    'Issuer origin differs from the URL the backend was reached at (info)',
    'A backend signs with its configured base URL, which differs from the URL you reach it at behind a reverse proxy, tunnel, port forward or another hostname. Not a fault: verifiers of your own must accept that origin.',
  ),
  r(
    'token.audience',
    'token',
    'exchange',
    'Audience inconsistent with the project or issuer kind',
    'aud must be the project id (:anon / :restricted for those users) and match the issuer path, or verifiers reject the token.',
  ),
  r(
    'token.subject',
    'token',
    'exchange',
    'Subject missing',
    'Without sub nobody can tell which user the token is for.',
  ),
  r(
    'token.lifetime',
    'token',
    'exchange',
    'exp/iat missing or inconsistent',
    'A token that expires before it was issued, or never, breaks refresh scheduling (the SDK refreshes 20 s before exp).',
  ),
  r(
    'token.clock-skew',
    'token',
    'exchange',
    'Token times off by more than the allowed skew',
    'A freshly issued token dated in the future or past makes verifiers with ±30 s tolerance reject it intermittently.',
  ),
  r(
    'token.expired',
    'token',
    'exchange',
    'Expired access token sent',
    'The backend answers ACCESS_TOKEN_EXPIRED; an SDK that keeps sending it has a broken refresh loop.',
  ),
  r(
    'token.project',
    'token',
    'exchange',
    'Token belongs to another project',
    'The backend answers INVALID_PROJECT_FOR_ACCESS_TOKEN.',
  ),
  r(
    'token.signature',
    'token',
    'exchange-async',
    'Signature does not verify against the project JWKS (or could not be checked)',
    'Anything that verifies tokens (your backend, Convex, the Stack backend itself) rejects it.',
  ),
  r(
    'cookie.twin-missing',
    'cookies',
    'exchange',
    'Dual-write cookie set in one family only',
    'The other SDK generation (or the callback of the other backend version) looks for its own name and finds nothing.',
  ),
  r(
    'cookie.twin-value-differs',
    'cookies',
    'exchange',
    'Cookie twins carry different values',
    'Old and new readers pick different values for the same state.',
  ),
  r(
    'cookie.twin-attributes-differ',
    'cookies',
    'exchange',
    'Cookie twins have different attributes',
    'Different Secure/SameSite/Path/Max-Age/Domain make one twin vanish or leak where the other does not.',
  ),
  r(
    'cookie.host-prefix-invalid',
    'cookies',
    'exchange',
    '__Host- cookie without Secure, with Domain, or Path other than /',
    'Browsers silently reject such cookies, so the session is never stored.',
  ),
  r(
    'cookie.sent-conflict',
    'cookies',
    'exchange',
    'Both cookie families sent with different values',
    'A new reader takes the hexclave value and an old reader the stack value: two sessions for one browser.',
  ),
  r(
    'client.family',
    'client',
    'exchange',
    'Which SDK family sent the request',
    'Tells old-SDK, new-SDK and mixed traffic apart.',
  ),
  r(
    'client.conflicting-values',
    'client',
    'exchange',
    'Both header families sent with different values',
    'A dual backend lets the hexclave value win, a legacy one uses the stack value: the same request means different things.',
  ),
  r(
    'client.new-headers-ignored',
    'client',
    'exchange',
    'Backend ignored the hexclave request headers',
    'A new SDK (2.8.108 sends only x-hexclave-*) is treated as unauthenticated by this backend.',
  ),
  r(
    'query-param.ignored',
    'query-params',
    'exchange',
    'Backend ignored a hexclave query parameter',
    'The new SDK asks for a JSON answer with hexclave_response_mode; ignoring it falls back to redirect mode and breaks bot-challenge interception.',
  ),
  r(
    'hazard.bearer-hexclave-prefix',
    'sdk-hazards',
    'exchange',
    'Authorization: Bearer hexclave_… sent',
    'A server on @stackframe/js 2.8.102 silently ignores Bearer hexclave_ and treats the request as signed out (2.8.108 itself still emits stackauth_).',
  ),
  r(
    'hazard.server-cookies-new-only',
    'sdk-hazards',
    'exchange',
    'Session cookies sent in the hexclave family only',
    'A server on 2.8.102 reads stack-* cookies only, so SSR and API routes see a signed-in user as anonymous.',
  ),
  r(
    'hazard.parent-refresh-without-stack-twin',
    'sdk-hazards',
    'snapshot',
    'Parent-domain refresh cookie in the hexclave family only',
    '2.8.108 deleted the stack-refresh cookie at the parent domain; an old-SDK app on a sibling subdomain loses its session, and signing in there again gets undone by the next 2.8.108 refresh.',
  ),
  r(
    'hazard.split-sessions',
    'sdk-hazards',
    'snapshot',
    'Two separate sessions in one browser',
    'The stack and hexclave refresh cookies hold different sessions: signing out on an old-SDK app leaves the user signed in on every new-SDK app (and the reverse).',
  ),
  r(
    'hazard.downgrade-loses-session',
    'sdk-hazards',
    'snapshot',
    'Session only in hexclave cookies',
    'Rolling the SDK back to 2.8.102 signs this user out: the old SDK neither reads nor deletes hexclave-* cookies.',
  ),
  r(
    'hazard.stale-session-resurrects',
    'sdk-hazards',
    'snapshot',
    'stack refresh cookie is newer than the hexclave one',
    '2.8.108 always prefers the hexclave cookie regardless of age, resurrects the older session (possibly another user) and deletes the newer stack cookie.',
  ),
  r(
    'hazard.stale-stack-access',
    'sdk-hazards',
    'snapshot',
    'stack-access left behind',
    '2.8.108 never deletes stack-access: after sign-out it still holds the signed-out session’s tokens for up to a day and fails “sign-out clears both” checks.',
  ),
  r(
    'hazard.access-cookie-mismatch',
    'sdk-hazards',
    'snapshot',
    'hexclave-access belongs to another session',
    'While hexclave-access exists the SDK never falls back to stack-access, even when only stack-access matches the refresh token: an extra refresh on every load.',
  ),
  r(
    'hazard.handoff-one-family',
    'sdk-hazards',
    'snapshot',
    'Cross-domain handoff parameters in one family only',
    '2.8.108 reads only hexclave_cross_domain_*, 2.8.102 only stack_cross_domain_*: a handoff between apps on different SDK versions loses state and the sign-in fails.',
  ),
  r(
    'hazard.mfa-code-without-stack-twin',
    'sdk-hazards',
    'snapshot',
    'MFA attempt code only under the hexclave key',
    'Custom MFA pages generated from the 2.8.102 template read only stack_mfa_attempt_code: Verify does nothing and MFA sign-in is impossible.',
  ),
  r(
    'hazard.storage-orphaned',
    'sdk-hazards',
    'snapshot',
    'Old storage key next to its hexclave twin',
    'The new SDK never reads or deletes the old key again; it is dead weight (and, for session replay, a stale entry can win after a downgrade/upgrade).',
  ),
  r(
    'hazard.storage-lost-on-upgrade',
    'sdk-hazards',
    'snapshot',
    'Old storage key with no hexclave twin',
    '2.8.108 reads only the hexclave key with no fallback, so this setting (e.g. StackDevTool.enable()) is lost after the upgrade.',
  ),
  r(
    'hazard.two-sdk-copies',
    'sdk-hazards',
    'snapshot',
    'Two SDK generations on one page',
    'The 2.8.102 copy is signed out whenever 2.8.108 writes tokens, and two dev-tool panels appear.',
  ),
  r(
    'hazard.unsubstituted-port-prefix',
    'sdk-hazards',
    'snapshot',
    'URL with an unsubstituted port-prefix placeholder',
    '2.8.108 substitutes only the NEXT_PUBLIC_HEXCLAVE_PORT_PREFIX placeholder; a URL written with the STACK name stays literal and the request goes nowhere.',
  ),
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`Unknown checker rule "${id}".`);
  return rule;
}
