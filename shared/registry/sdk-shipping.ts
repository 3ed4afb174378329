import type { Family, KnownSdkVersion, SdkShipping } from './types.js';

/**
 * What the published SDK's built code contains for each registry entry: `@stackframe/js` with the
 * `@stackframe/stack-shared` it pins, at the two versions the project installs (stack-sdk-old = 2.8.102,
 * stack-sdk-new = 2.8.108). `test/unit/scan/sdk-drift.test.ts` extracts both builds and fails when a fact here
 * disagrees with them, when the SDK uses a name no entry has, or when an entry's `shipped` note has no fact.
 * `oldBreaks` is where code that relies on the old name stops working; the scanner's verdicts read it.
 */

type OldBreaks = NonNullable<SdkShipping['oldBreaks']>;

function uses(old: readonly Family[], current: readonly Family[], oldBreaks?: OldBreaks): SdkShipping {
  const byVersion: Record<KnownSdkVersion, readonly Family[]> = { '2.8.102': old, '2.8.108': current };
  return oldBreaks ? { uses: byVersion, oldBreaks } : { uses: byVersion };
}

const renamed = (why: string): OldBreaks => ({
  since: '2.8.108',
  how: 'renamed-outright',
  affects: 'all',
  why,
});

const SENT_OUTRIGHT: OldBreaks = {
  since: '2.8.108',
  how: 'renamed-outright',
  affects: 'readers',
  why: 'The SDK sends only the x-hexclave-* name: code that reads or allow-lists the x-stack-* header (a proxy, a WAF rule, your own server) no longer sees it. Sending it still works; the backend accepts both.',
};
const REFRESH_MIGRATED: OldBreaks = {
  since: '2.8.108',
  how: 'migrated',
  affects: 'all',
  why: 'The SDK writes only the hexclave-refresh-* cookie and deletes every stack-refresh-* cookie on its next token write: an app or sibling subdomain still on an older SDK, or code reading the stack cookie, is signed out.',
};
const ACCESS_MIGRATED: OldBreaks = {
  since: '2.8.108',
  how: 'migrated',
  affects: 'readers',
  why: 'The SDK writes only hexclave-access and never updates or deletes stack-access: code that reads stack-access sees a stale token, even after sign-out.',
};
const CROSS_DOMAIN: OldBreaks = {
  since: '2.8.108',
  how: 'renamed-outright',
  affects: 'all',
  why: 'The SDK writes and reads only the hexclave_cross_domain_* parameter: a handoff to or from an app on an older SDK loses its state.',
};

export const SDK_SHIPPING: Readonly<Record<string, SdkShipping>> = {
  'bearer.prefix': uses(['stack'], ['stack', 'hexclave']),
  'config.file': uses(['stack'], ['stack']),
  'convex.component': uses(['stack'], ['stack']),
  'cookie.access': uses(['stack'], ['stack', 'hexclave'], ACCESS_MIGRATED),
  'cookie.chips-probe': uses(['stack'], ['stack']),
  'cookie.is-https': uses(['stack'], ['stack', 'hexclave']),
  'cookie.oauth-outer': uses(['stack'], ['stack', 'hexclave']),
  'cookie.refresh-custom': uses(['stack'], ['stack', 'hexclave'], REFRESH_MIGRATED),
  'cookie.refresh-default': uses(['stack'], ['stack', 'hexclave'], REFRESH_MIGRATED),
  'cookie.refresh-legacy': uses(['stack'], ['stack']),
  'cookie.refresh-legacy-project': uses(['stack'], ['stack']),
  'css.dev-tool': uses(['stack'], ['stack']),
  'dom.dev-tool-root': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The dev tool uses only the hexclave name: selectors and scripts using the old one find nothing.',
    ),
  ),
  'dom.dev-tool-trigger': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The dev tool uses only the hexclave name: selectors and scripts using the old one find nothing.',
    ),
  ),
  'dom.turnstile-overlay': uses(['stack'], ['stack']),
  'env.NEXT_PUBLIC_BROWSER_STACK_API_URL': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_SERVER_STACK_API_URL': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_API_URL': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_API_URL_BROWSER': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_API_URL_SERVER': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_BOT_CHALLENGE_INVISIBLE_SITE_KEY': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_BOT_CHALLENGE_SITE_KEY': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_DEBUGGER_ON_ASSERTION_ERROR': uses(['stack'], ['stack']),
  'env.NEXT_PUBLIC_STACK_EXTRA_REQUEST_HEADERS': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_HOSTED_HANDLER_DOMAIN_SUFFIX': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_HOSTED_HANDLER_URL_TEMPLATE': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_IS_LOCAL_EMULATOR': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_PORT_PREFIX': uses(['stack'], ['stack', 'hexclave'], {
    since: '2.8.108',
    how: 'no-longer-read',
    affects: 'all',
    why: 'The SDK reads only NEXT_PUBLIC_HEXCLAVE_PORT_PREFIX for the port prefix; the old variable is ignored.',
  }),
  'env.NEXT_PUBLIC_STACK_PROJECT_ID': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_STRIPE_PUBLISHABLE_KEY': uses(['stack'], ['stack', 'hexclave']),
  'env.NEXT_PUBLIC_STACK_URL': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_API_URL': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_API_URL_BROWSER': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_API_URL_SERVER': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_AUTH_PROJECT_ID': uses([], ['hexclave']),
  'env.STACK_AUTH_SECRET_SERVER_KEY': uses([], ['hexclave']),
  'env.STACK_AWS_{suffix}': uses(['stack'], ['stack']),
  'env.STACK_BASE_URL': uses(['stack'], ['stack']),
  'env.STACK_DEV_ENVS_PATH': uses(['stack'], ['stack']),
  'env.STACK_EXTRA_REQUEST_HEADERS': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_FEATUREBASE_API_KEY': uses(['stack'], ['stack']),
  'env.STACK_INTEGRATION_CLIENTS_CONFIG': uses(['stack'], ['stack']),
  'env.STACK_PROJECT_ID': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_PUBLISHABLE_CLIENT_KEY': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_SECRET_SERVER_KEY': uses(['stack'], ['stack', 'hexclave']),
  'env.STACK_SEED_MODE': uses(['stack'], ['stack']),
  'env.STACK_SERVER_SECRET': uses(['stack'], ['stack']),
  'env.STACK_SUPER_SECRET_ADMIN_KEY': uses(['stack'], ['stack', 'hexclave']),
  'export.StackAdminApp': uses(['stack'], ['stack', 'hexclave']),
  'export.StackAdminInterface': uses(
    ['stack'],
    ['hexclave'],
    renamed('@stackframe/stack-shared exports only the Hexclave name: importing the old one fails.'),
  ),
  'export.StackAssertionError': uses(
    ['stack'],
    ['hexclave'],
    renamed('@stackframe/stack-shared exports only the Hexclave name: importing the old one fails.'),
  ),
  'export.StackClientApp': uses(['stack'], ['stack', 'hexclave']),
  'export.StackClientInterface': uses(
    ['stack'],
    ['hexclave'],
    renamed('@stackframe/stack-shared exports only the Hexclave name: importing the old one fails.'),
  ),
  'export.StackServerApp': uses(['stack'], ['stack', 'hexclave']),
  'export.StackServerInterface': uses(
    ['stack'],
    ['hexclave'],
    renamed('@stackframe/stack-shared exports only the Hexclave name: importing the old one fails.'),
  ),
  'export.defineStackConfig': uses(['stack'], ['stack', 'hexclave']),
  'export.stackAppInternalsSymbol': uses(['stack'], ['stack']),
  'file.dev-envs': uses(['stack'], ['stack']),
  'file.dev-tool-logs': uses(['stack'], ['stack']),
  'global.admin-app': uses(['stack'], ['stack', 'hexclave']),
  'global.backend-url-fetch': uses(['stack'], ['stack']),
  'global.dev-tool': uses(['stack'], ['stack', 'hexclave']),
  'global.dev-tool-instance': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The dev tool uses only the hexclave name: selectors and scripts using the old one find nothing.',
    ),
  ),
  'global.server-app': uses(['stack'], ['stack', 'hexclave']),
  'header.access-token': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.access-type': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.actual-status': uses(['stack'], ['stack', 'hexclave']),
  'header.admin-access-token': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.allow-anonymous-user': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.auth': uses(['stack'], ['stack']),
  'header.client-version': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.known-error': uses(['stack'], ['stack', 'hexclave']),
  'header.override-error-status': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.project-id': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.publishable-client-key': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.random-nonce': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.refresh-token': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.secret-server-key': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'header.super-secret-admin-key': uses(['stack'], ['hexclave'], SENT_OUTRIGHT),
  'host.api': uses(['stack'], ['stack']),
  'host.brand': uses(['stack'], ['stack', 'hexclave']),
  'host.featurebase-users': uses(['stack'], ['stack']),
  'host.hosted-handler': uses(['stack'], ['stack']),
  'internal.error-brands': uses(['stack'], ['stack']),
  'internal.key-derivation': uses(['stack'], ['stack']),
  'internal.telemetry': uses(['stack'], ['stack']),
  'oauth.public-client-sentinel': uses(['stack'], ['stack']),
  'package.@stackframe/js': uses(['stack'], ['stack']),
  'package.@stackframe/react': uses(['stack'], ['stack']),
  'package.@stackframe/stack': uses(['stack'], ['stack']),
  'package.@stackframe/stack-shared': uses(['stack'], ['stack']),
  'package.@stackframe/tanstack-start': uses(['stack'], ['stack']),
  'param.cross-domain-after-callback-redirect-url': uses(['stack'], ['hexclave'], CROSS_DOMAIN),
  'param.cross-domain-auth': uses(['stack'], ['hexclave'], CROSS_DOMAIN),
  'param.cross-domain-code-challenge': uses(['stack'], ['hexclave'], CROSS_DOMAIN),
  'param.cross-domain-state': uses(['stack'], ['hexclave'], CROSS_DOMAIN),
  'param.nested-cross-domain-callback-url': uses(['stack'], ['stack']),
  'param.nested-cross-domain-refresh-token-id': uses(['stack'], ['stack']),
  'param.response-mode': uses(['stack'], ['stack', 'hexclave']),
  'storage.dev-tool-override': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The dev tool uses only the hexclave key, with no fallback: a value under the old key is ignored.',
    ),
  ),
  'storage.dev-tool-state': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The dev tool uses only the hexclave key, with no fallback: a value under the old key is ignored.',
    ),
  ),
  'storage.dev-tool-trigger-position': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The dev tool uses only the hexclave key, with no fallback: a value under the old key is ignored.',
    ),
  ),
  'storage.mfa-attempt-code': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The SDK writes only hexclave_mfa_attempt_code: an MFA page that reads stack_mfa_attempt_code finds nothing.',
    ),
  ),
  'storage.session-replay': uses(['stack'], ['stack', 'hexclave']),
  'symbol.app-internals': uses(['stack'], ['stack']),
  'symbol.globals': uses(
    ['stack'],
    ['hexclave'],
    renamed(
      'The globals bag moved to Symbol.for("__hexclave-globals"): code that reads the old symbol finds nothing.',
    ),
  ),
  'url.mobile-oauth-scheme': uses(['stack'], ['stack']),
  // Recorded as shipped, yet absent from both builds as names (their notes say why).
  'env.VITE_STACK_PROJECT_ID': uses([], []),
  'env.VITE_STACK_PUBLISHABLE_CLIENT_KEY': uses([], []),
  'env.VITE_STACK_API_URL': uses([], []),
  'storage.oauth-last-used': uses([], []),
  'jwt.issuer': uses([], []),
  'jwt.issuer-anonymous': uses([], []),
  'jwt.issuer-restricted': uses([], []),
  'header.api-key': uses([], []),
  'header.request-type': uses([], []),
  'header.branch-id': uses([], []),
  'header.allow-restricted-user': uses([], []),
  'header.development-override-key': uses([], []),
  'header.disable-artificial-development-delay': uses([], []),
  'header.development-disable-extended-logging': uses([], []),
  'header.bulldozer-studio-token': uses([], []),
};
