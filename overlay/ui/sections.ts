import type { Finding } from '../../shared/checker/types.js';
import type { CookiePair, CookieSide } from '../analysis/cookie-pairs.js';
import { formatCountdown } from '../analysis/user.js';
import type { DevToolState, ExchangeView } from '../state.js';
import { h } from './dom.js';

const FAMILY_LABEL: Record<string, string> = {
  old: 'old SDK (x-stack-* names, e.g. 2.8.102)',
  new: 'new SDK (x-hexclave-* names, 2.8.108+)',
  mixed: 'both SDK generations on this page',
  none: 'no SDK request seen yet',
};

const CONNECTION_LABEL: Record<string, string> = {
  connecting: 'connecting to the companion…',
  connected: 'reporting to the companion',
  standalone: 'standalone (no companion running)',
  window: 'inside the companion window',
};

function pill(text: string, kind: string, testId?: string): HTMLElement {
  return h('span', { className: `pill ${kind}`, 'data-testid': testId }, text);
}

export function sdkSection(state: DevToolState): HTMLElement {
  const { sdk, sdkDevTool } = state;
  return h(
    'section',
    { 'data-testid': 'hexclave-devtool-sdk' },
    h('h2', {}, 'SDK'),
    h(
      'dl',
      {},
      h('dt', {}, 'Family'),
      h(
        'dd',
        { 'data-testid': 'hexclave-devtool-sdk-family', 'data-family': sdk.family },
        FAMILY_LABEL[sdk.family]!,
      ),
      sdk.clientVersions.length > 0 && h('dt', {}, 'Client'),
      sdk.clientVersions.length > 0 && h('dd', { className: 'mono' }, sdk.clientVersions.join(', ')),
      h('dt', {}, 'Project'),
      h('dd', { className: 'mono' }, sdk.projectId ?? '—'),
      h('dt', {}, 'Backend'),
      h('dd', { className: 'mono' }, sdk.apiBaseUrls.join(', ') || '—'),
      sdkDevTool.rootIds.length > 0 && h('dt', {}, 'SDK dev tool'),
      sdkDevTool.rootIds.length > 0 &&
        h('dd', { className: 'mono' }, sdkDevTool.rootIds.map((id) => `#${id}`).join(', ')),
      h('dt', {}, 'Companion'),
      h('dd', { 'data-testid': 'hexclave-devtool-connection' }, CONNECTION_LABEL[state.companion.status]!),
    ),
  );
}

function userDetails(state: DevToolState, now: number): HTMLElement | null {
  const user = state.user;
  if (!user) return null;
  return h(
    'dl',
    {},
    h('dt', {}, 'User'),
    h(
      'dd',
      { 'data-testid': 'hexclave-devtool-user-name' },
      user.name ?? '(no display name)',
      user.anonymous ? ' (anonymous)' : '',
    ),
    h('dt', {}, 'Email'),
    h('dd', { 'data-testid': 'hexclave-devtool-user-email' }, user.email ?? '—'),
    h('dt', {}, 'User id'),
    h('dd', { className: 'mono' }, user.id ?? '—'),
    h('dt', {}, 'Token'),
    h('dd', { 'data-testid': 'hexclave-devtool-user-expiry' }, formatCountdown(user.expiresAt, now)),
    h('dt', {}, 'Issuer'),
    h(
      'dd',
      {},
      pill(
        user.issuerVerdict.ok ? 'accepted' : 'rejected',
        user.issuerVerdict.ok ? 'ok' : 'error',
        'hexclave-devtool-issuer',
      ),
      ' ',
      h('span', { className: 'mono' }, user.issuer ?? ''),
      h('div', { className: 'muted' }, user.issuerVerdict.detail),
    ),
    h('dt', {}, 'From'),
    h('dd', { className: 'muted' }, user.source),
  );
}

function headlineText(state: DevToolState): string {
  const { headline } = state;
  if (headline.status === 'unknown') return 'Not known yet: no SDK request seen on this page';
  const version = headline.session?.generation.version ?? '';
  if (headline.status === 'signed-out')
    return `Signed out: the SDK on this page (${version}) has no session it can read`;
  const who = headline.user?.email ?? headline.user?.name ?? headline.user?.id ?? 'a user not known yet';
  return `Signed in as ${who} (SDK ${version})`;
}

/** The headline: is the SDK on this page signed in, as whom, on what evidence, and what it cannot see. */
export function userSection(state: DevToolState, now: number): HTMLElement {
  const { headline } = state;
  const session = headline.session;
  const kind = headline.status === 'signed-in' ? 'ok' : headline.status === 'signed-out' ? 'info' : 'muted';
  return h(
    'section',
    { 'data-testid': 'hexclave-devtool-user' },
    h('h2', {}, 'Signed in?'),
    h(
      'p',
      {
        className: `headline ${kind}`,
        'data-testid': 'hexclave-devtool-headline',
        'data-status': headline.status,
      },
      headlineText(state),
    ),
    h('p', { className: 'muted', 'data-testid': 'hexclave-devtool-headline-note' }, headline.note),
    userDetails(state, now),
    session &&
      h(
        'ul',
        { className: 'muted evidence', 'data-testid': 'hexclave-devtool-headline-evidence' },
        ...session.evidence.map((line) => h('li', {}, line)),
      ),
    ...(session?.unreadable ?? []).map((u) =>
      h(
        'p',
        { className: 'finding', 'data-testid': 'hexclave-devtool-unreadable', 'data-family': u.family },
        pill('unreadable', 'warning'),
        " Another generation's session is in the jar: ",
        u.why,
      ),
    ),
    headline.pendingMigration &&
      h(
        'p',
        { className: 'finding', 'data-testid': 'hexclave-devtool-migration-warning' },
        pill('warning', 'warning'),
        ` The next token write deletes ${headline.pendingMigration.deletes.join(', ')} and writes ${headline.pendingMigration.writes}. That signs out ${headline.pendingMigration.signsOut}.`,
      ),
  );
}

function side(value: CookieSide | null, missing: string | null): HTMLElement {
  if (!value) return h('td', { className: 'muted' }, missing ? `— (${missing} absent)` : '—');
  return h(
    'td',
    {},
    h('div', { className: 'mono' }, value.name),
    h('div', { className: 'muted' }, value.summary),
  );
}

const STATUS_KIND: Record<CookiePair['status'], string> = {
  match: 'ok',
  mismatch: 'error',
  stale: 'warning',
  'stack-only': 'info',
  'hexclave-only': 'info',
};

export function cookieSection(state: DevToolState): HTMLElement {
  const rows = state.cookiePairs.map((pair) =>
    h(
      'tr',
      { 'data-testid': 'hexclave-devtool-cookie-pair', 'data-kind': pair.kind, 'data-status': pair.status },
      h('td', {}, pill(pair.status, STATUS_KIND[pair.status]), h('div', { className: 'muted' }, pair.kind)),
      side(pair.stack, pair.stack ? null : pair.missingTwin),
      side(pair.hexclave, pair.hexclave ? null : pair.missingTwin),
    ),
  );
  const details = state.cookiePairs
    .filter((p) => p.detail)
    .map((p) =>
      h(
        'p',
        {
          className: 'finding',
          'data-testid':
            p.status === 'stale' ? 'hexclave-devtool-cookie-stale' : 'hexclave-devtool-cookie-mismatch',
        },
        p.detail!,
      ),
    );
  return h(
    'section',
    { 'data-testid': 'hexclave-devtool-cookies' },
    h('h2', {}, 'Auth cookies (stack ↔ hexclave)'),
    rows.length === 0
      ? h('p', { className: 'muted' }, 'No Stack/Hexclave cookie readable by this page.')
      : h('table', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'stack'), h('th', {}, 'hexclave')), ...rows),
    ...details,
  );
}

function findingLine(finding: Pick<Finding, 'ruleId' | 'severity' | 'message' | 'explanation'>): HTMLElement {
  return h(
    'div',
    { className: 'finding', 'data-rule': finding.ruleId },
    pill(finding.severity, finding.severity),
    ' ',
    h('span', { className: 'mono' }, finding.ruleId),
    ' ',
    finding.message,
    // The fix, where the rule knows one (a refused preflight: deploy the compatibility layer or pin the SDK).
    finding.severity === 'error' && finding.explanation
      ? h('div', { className: 'muted', 'data-testid': 'hexclave-devtool-finding-fix' }, finding.explanation)
      : null,
  );
}

export function findingsSection(state: DevToolState): HTMLElement {
  const findings = state.snapshotFindings;
  return h(
    'section',
    { 'data-testid': 'hexclave-devtool-findings' },
    h('h2', {}, 'Cookie and storage hazards'),
    findings.length === 0
      ? h('p', { className: 'muted' }, 'None.')
      : h('div', {}, ...findings.map(findingLine)),
  );
}

/** `409 (HTTP 200)` when the backend wrapped an error, `network error` when nothing answered. */
export function statusText(view: ExchangeView): string {
  if (view.failure === 'network') return 'network error';
  if (view.actualStatus !== null && view.actualStatus !== view.status)
    return `${view.actualStatus} (HTTP ${view.status})`;
  return String(view.status);
}

function exchangeRow(view: ExchangeView, onFocus: (view: ExchangeView) => void): HTMLElement {
  const path = (() => {
    try {
      return new URL(view.url).pathname.replace(/^\/api\/v1/, '');
    } catch {
      return view.url;
    }
  })();
  const link =
    view.seq !== null
      ? h(
          'a',
          {
            href: view.companionUrl ?? '#',
            target: 'hexclave-companion',
            rel: 'noopener',
            'data-testid': 'hexclave-devtool-open-in-companion',
            onclick: (event: Event) => {
              if (!view.companionUrl) event.preventDefault();
              onFocus(view);
            },
          },
          `#${view.seq} in the companion`,
        )
      : null;
  return h(
    'li',
    {
      'data-testid': 'hexclave-devtool-exchange',
      'data-family': view.family,
      'data-worst': view.worst ?? 'none',
      'data-status': view.failure ?? String(view.actualStatus ?? view.status),
    },
    h('span', { className: 'mono' }, `${view.method} ${path} → `),
    h('span', { className: 'mono', 'data-testid': 'hexclave-devtool-exchange-status' }, statusText(view)),
    ' ',
    pill(
      view.attributedBy === 'session' ? `${view.family} · by session` : view.family,
      'info',
      view.attributedBy === 'session' ? 'hexclave-devtool-attributed-by-session' : undefined,
    ),
    ' ',
    h('span', { className: 'muted' }, `${view.durationMs} ms`),
    // Info findings (which family sent it, …) are already in the row; only problems get a line.
    view.worstFinding && view.worstFinding.severity !== 'info'
      ? findingLine(view.worstFinding)
      : h('div', { className: 'muted' }, 'no warnings'),
    link,
  );
}

export function exchangesSection(state: DevToolState, onFocus: (view: ExchangeView) => void): HTMLElement {
  return h(
    'section',
    { 'data-testid': 'hexclave-devtool-exchanges' },
    h('h2', {}, 'Backend requests (newest first)'),
    state.exchanges.length === 0
      ? h('p', { className: 'muted' }, 'No request to the backend (/api/v1/) yet.')
      : h('ul', {}, ...state.exchanges.slice(0, 20).map((view) => exchangeRow(view, onFocus))),
  );
}
