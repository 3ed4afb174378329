import { entriesOf, findByName, identifier } from '../../registry/index.js';
import { safeUrl } from '../exchange.js';
import { finding, identifierRef } from '../finding.js';
import type { BrowserSnapshot, Finding } from '../types.js';
import { familiesSeen } from './session-cookies.js';

/** Handoff params the shipped SDKs renamed outright: each version reads only its own family. */
const HANDOFF_PARAMS = entriesOf('query-param').filter(
  (e) => e.policy === 'rename-outright' && e.new !== null,
);
const DEV_TOOL_ROOTS = entriesOf('dom-id').filter((e) => e.new !== null);
const PLACEHOLDER = /\$(?:\{|%7B)([A-Z0-9_]+)(?::-[^}%]*)?(?:\}|%7D)/gi;

function pageUrls(snapshot: BrowserSnapshot): string[] {
  return [...(snapshot.recentUrls ?? []), ...(snapshot.exchanges ?? []).map((e) => e.request.url)];
}

function handoffHazards(urls: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const raw of urls) {
    const url = safeUrl(raw);
    if (!url) continue;
    const stack = HANDOFF_PARAMS.filter((e) => url.searchParams.has(e.old));
    const hexclave = HANDOFF_PARAMS.filter((e) => url.searchParams.has(e.new!));
    if (stack.length > 0 === hexclave.length > 0) continue;
    const present = stack.length > 0 ? stack.map((e) => e.old) : hexclave.map((e) => e.new!);
    const reader = stack.length > 0 ? '2.8.108' : '2.8.102';
    out.push(
      finding('hazard.handoff-one-family', {
        severity: 'warning',
        identifier: identifierRef((stack[0] ?? hexclave[0])!, present),
        message: `A cross-domain handoff URL carries only ${stack.length > 0 ? 'stack_' : 'hexclave_'}cross_domain_* parameters, which an app on ${reader} cannot read.`,
        expected: 'both parameter families while the two ends may run different SDK versions',
        actual: present.join(', '),
        evidence: `${url.origin}${url.pathname}?${present.map((p) => `${p}=…`).join('&')}`,
        explanation: `If the handler page runs ${reader}, it ignores the caller's state, PKCE challenge and return URL, starts its own flow, and the caller's callback cannot find its *-oauth-outer-{state} cookie: the sign-in fails or lands on the wrong site.`,
      }),
    );
  }
  return out;
}

function placeholderHazards(urls: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const url of urls) {
    for (const match of url.matchAll(PLACEHOLDER)) {
      const name = match[1]!;
      if (seen.has(`${url}|${name}`)) continue;
      seen.add(`${url}|${name}`);
      const entry = findByName(name).find((m) => m.entry.category === 'env-var')?.entry;
      out.push(
        finding('hazard.unsubstituted-port-prefix', {
          severity: 'error',
          identifier: entry ? identifierRef(entry, [name]) : null,
          message: `A request URL still contains the placeholder for ${name}.`,
          expected: 'a URL with the port prefix substituted',
          actual: url,
          evidence: url,
          explanation: entry
            ? `2.8.108 substitutes only \${${entry.new}:-81}; ${entry.old} is renamed outright and no longer read, so a URL written with it stays literal.`
            : 'The SDK did not substitute this placeholder, so the URL is invalid or points at the wrong port.',
        }),
      );
    }
  }
  return out;
}

function twoCopiesHazards(snapshot: BrowserSnapshot): Finding[] {
  const ids = new Set(snapshot.domIds ?? []);
  const roots = DEV_TOOL_ROOTS.find((e) => ids.has(e.old) && ids.has(e.new!));
  const families = familiesSeen(snapshot);
  const mixedTraffic = families.has('old') && families.has('new');
  if (!roots && !mixedTraffic) return [];
  const clientVersion = identifier('header.client-version');
  return [
    finding('hazard.two-sdk-copies', {
      severity: 'warning',
      identifier: roots ? identifierRef(roots) : identifierRef(clientVersion),
      message: 'This page runs both SDK generations (2.8.102 and 2.8.108) at once.',
      expected: 'one @stackframe/js version per page',
      actual: [
        roots ? `DOM has #${roots.old} and #${roots.new}` : null,
        mixedTraffic ? 'traffic mixes x-stack-* and x-hexclave-* clients' : null,
      ]
        .filter(Boolean)
        .join('; '),
      evidence: roots ? `#${roots.old}, #${roots.new}` : `${clientVersion.old}, ${clientVersion.new}`,
      explanation:
        'The 2.8.102 copy (a widget bundling an old SDK, say) is signed out whenever 2.8.108 writes tokens, because 2.8.108 deletes the stack-refresh cookies it relies on; two dev-tool panels appear.',
    }),
  ];
}

export function checkPage(snapshot: BrowserSnapshot): Finding[] {
  const urls = pageUrls(snapshot);
  return [...handoffHazards(urls), ...placeholderHazards(urls), ...twoCopiesHazards(snapshot)];
}
