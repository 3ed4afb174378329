import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../main/checker/index.js';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import type { CheckReport } from '../../../shared/checker/index.js';
import { type Corruption, startBrokenBackend } from '../../fakes/broken-backend.js';
import { startTestEmulator } from '../../helpers/emulator.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ compat: 'dual' });
});

afterAll(async () => {
  await emulator?.stop();
});

async function checkThrough(kind: Corruption | null): Promise<CheckReport> {
  const broken = kind ? await startBrokenBackend(emulator.apiUrl, kind) : null;
  try {
    const run = await runCheck({
      apiUrl: broken?.url ?? emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
      secretServerKey: emulator.secretServerKey,
      // The wrapper sits in front of the emulator, which signs with its own base URL.
      issuerBaseUrls: [emulator.issuerBase],
    });
    return run.report;
  } finally {
    await broken?.stop();
  }
}

function errors(report: CheckReport) {
  return report.findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({ ruleId: f.ruleId, id: f.identifier?.id ?? null, names: f.identifier?.names ?? [] }));
}

describe('deliberately broken backends: each rule family fires with the right identifier', () => {
  it('a correct backend raises no error and no warning', async () => {
    const report = await checkThrough(null);
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(report.backendClass).toBe('dual');
  });

  const cases: [Corruption, { ruleId: string; id: string | null; names?: string[] }][] = [
    ['request-id-mismatch', { ruleId: 'response-header.values-differ', id: 'header.request-id' }],
    ['known-error-one-family', { ruleId: 'response-header.missing-twin', id: 'header.known-error' }],
    [
      'expose-missing-new',
      {
        ruleId: 'cors.expose-family-incomplete',
        id: 'header.known-error',
        names: ['x-hexclave-known-error'],
      },
    ],
    ['issuer-wrong-path', { ruleId: 'token.issuer', id: 'jwt.issuer' }],
    ['unpublished-signing-key', { ruleId: 'token.signature', id: null }],
    ['cookie-twin-missing', { ruleId: 'cookie.twin-missing', id: 'cookie.oauth-inner' }],
    ['cookie-twin-different', { ruleId: 'cookie.twin-attributes-differ', id: 'cookie.oauth-inner' }],
    ['server-error-rewritten', { ruleId: 'actual-status.not-4xx', id: 'header.actual-status' }],
  ];

  it.each(cases)('%s → %o', async (kind, expected) => {
    const report = await checkThrough(kind);
    const found = errors(report).filter((f) => f.ruleId === expected.ruleId);
    expect(found.map((f) => f.id)).toContain(expected.id);
    if (expected.names) expect(found.flatMap((f) => f.names)).toEqual(expect.arrayContaining(expected.names));
    expect(report.backendClass).toBe('broken');
    expect(report.exitCode).toBe(1);
    // One corruption, one rule: nothing else may fire.
    expect([...new Set(errors(report).map((f) => f.ruleId))]).toEqual([expected.ruleId]);
  });
});
