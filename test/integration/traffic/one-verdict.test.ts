import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureProxy, startCaptureProxy } from '../../../main/proxy/index.js';
import { TrafficHub, type TrafficItem, toDetail, toSummary } from '../../../main/traffic/index.js';
import { PageModel } from '../../../overlay/analysis/model.js';
import { observeFetch } from '../../../overlay/capture/fetch.js';
import { redactExchange } from '../../../overlay/report/redact.js';
import type { Exchange, JsonWebKeySet } from '../../../shared/checker/index.js';
import { secureRandomString } from '../../../shared/encoding.js';
import { apiHeaders, startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { waitUntil } from '../../helpers/wait.js';

/**
 * One request seen by the capture proxy and by the in-page dev tool (its real capture, analysis and redaction code,
 * run over real HTTP) is one Traffic row with one verdict; what the page cannot check is "not checked".
 */

const PAGE_URL = 'http://localhost:3000/';
let emulator: TestEmulator;
let proxy: CaptureProxy;
let hub: TrafficHub;
let jwks: JsonWebKeySet;
const pageSaw: Exchange[] = [];
const page = { fetch: globalThis.fetch.bind(globalThis) };
let model: PageModel;

beforeAll(async () => {
  emulator = await startTestEmulator({ compat: 'dual', label: 'one_verdict' });
  proxy = await startCaptureProxy({ target: emulator.apiUrl });
  hub = new TrafficHub(() => ({
    expectedMode: 'unknown',
    projectId: emulator.projectId,
    apiBaseUrls: [emulator.apiUrl],
  }));
  // What the project runtime does with the proxy's exchanges, and the overlay ingest with the page's reports.
  proxy.onExchange((captured) =>
    hub.record({
      source: 'proxy',
      exchange: captured.exchange,
      attribution: captured.attribution,
      findings: captured.findings,
    }),
  );
  model = new PageModel();
  observeFetch(
    page,
    (url) => (url.includes('/api/v1/') ? url : null),
    (exchange) => pageSaw.push(exchange),
  );
  jwks = (await (
    await fetch(`${emulator.apiUrl}/api/v1/projects/${emulator.projectId}/.well-known/jwks.json`)
  ).json()) as JsonWebKeySet;
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

/** The page's report of everything it saw so far, as the overlay sends it: analysed unredacted, sent redacted. */
function reportPage(into: TrafficHub = hub) {
  return pageSaw.splice(0).map((exchange) => {
    const observed = model.addExchange(exchange);
    const report = {
      source: 'overlay' as const,
      pageUrl: PAGE_URL,
      exchange: redactExchange(exchange),
      attribution: observed.attribution,
      findings: observed.findings,
    };
    into.record(report);
    return report;
  });
}

async function signInAndReadMe(baseUrl: string) {
  const email = `one-verdict-${secureRandomString(30)}@example.com`;
  const password = `Pw-${secureRandomString(40)}`;
  const client = apiHeaders(emulator, { family: 'hexclave', overrideErrorStatus: true });
  const json = { ...client, 'content-type': 'application/json' };
  const signUp = await page.fetch(`${baseUrl}/api/v1/auth/password/sign-up`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password }),
  });
  const { access_token: accessToken } = (await signUp.json()) as { access_token: string };
  const me = await page.fetch(`${baseUrl}/api/v1/users/me`, {
    headers: { ...client, 'x-hexclave-access-token': accessToken },
  });
  expect(((await me.json()) as { primary_email: string }).primary_email).toBe(email);
}

const detailOf = (item: TrafficItem) =>
  toDetail(item, { projectId: emulator.projectId, apiBaseUrls: [emulator.apiUrl], jwks });

describe('one exchange, one verdict', () => {
  it('the proxy and the page seeing one request make one row with both sources and the proxy’s valid signature', async () => {
    const before = hub.list().length;
    await signInAndReadMe(proxy.url);
    await proxy.idle();
    await waitUntil(
      () => pageSaw.length,
      (n) => n === 2,
      'the page to observe both requests',
    );
    reportPage();

    const rows = hub.list().slice(before);
    expect(
      rows.map((row) => `${new URL(row.exchange.request.url).pathname} ${row.sources.join('+')}`),
    ).toEqual(['/api/v1/auth/password/sign-up proxy+overlay', '/api/v1/users/me proxy+overlay']);
    for (const row of rows) {
      expect(row.pageUrl).toBe(PAGE_URL);
      expect(toSummary(row).sources).toEqual(['proxy', 'overlay']);
      expect(row.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
      // The page could not check the signature; the proxy did: nothing is left "not checked".
      expect(row.findings.filter((f) => f.severity === 'not-checked')).toEqual([]);
      const detail = await detailOf(row);
      expect(detail.tokens.length).toBeGreaterThan(0);
      expect(detail.tokens.map((t) => t.signature)).toEqual(detail.tokens.map(() => 'valid'));
      expect(detail.sightings.map((s) => s.source)).toEqual(['proxy', 'overlay']);
    }
  });

  it('the same row whichever capturer reports first', async () => {
    const early = new TrafficHub(() => ({ expectedMode: 'unknown', projectId: emulator.projectId }));
    const seen = proxy.exchanges().length;
    await signInAndReadMe(proxy.url);
    await proxy.idle();
    await waitUntil(
      () => pageSaw.length,
      (n) => n === 2,
      'the page to observe both requests',
    );
    reportPage(early); // the page's reports land before the proxy's analysis
    for (const captured of proxy.exchanges().slice(seen)) {
      early.record({
        source: 'proxy',
        exchange: captured.exchange,
        attribution: captured.attribution,
        findings: captured.findings,
      });
    }
    expect(early.list().map((row) => [row.seq, row.source, row.sources])).toEqual([
      [1, 'proxy', ['proxy', 'overlay']],
      [2, 'proxy', ['proxy', 'overlay']],
    ]);
    // The row shows the richest sighting: the proxy's whole token, not the page's redacted one.
    expect(JSON.stringify(early.list()[1]!.exchange.request.headers)).not.toContain('signature-redacted');
  });

  it('a request only the page saw: its valid token is "not checked", never "signature invalid"', async () => {
    const before = hub.list().length;
    await signInAndReadMe(emulator.apiUrl); // straight to the backend: the proxy never sees it
    await waitUntil(
      () => pageSaw.length,
      (n) => n === 2,
      'the page to observe both requests',
    );
    reportPage();

    const rows = hub.list().slice(before);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // What the user reads in the detail pane: never "signature invalid" for the page's redacted copy.
      const detail = await detailOf(row);
      expect(detail.tokens.length).toBeGreaterThan(0);
      expect(detail.tokens.map((t) => t.signature)).toEqual(detail.tokens.map(() => 'not-checked'));
      expect(detail.tokens[0]!.signatureDetail).toMatch(/removed before this exchange was reported/);
      expect(detail.tokens[0]!.issuerVerdict).toMatch(/^accepted/);
      const signature = row.findings.filter((f) => f.ruleId === 'token.signature');
      expect(signature.length).toBeGreaterThan(0);
      expect(signature.every((f) => f.severity === 'not-checked')).toBe(true);
      expect(row.worst).not.toBe('error');
    }
    expect(rows.map((row) => row.sources)).toEqual([['overlay'], ['overlay']]);
  });
});
