import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCheck } from '../../../main/checker/index.js';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import { CheckReportSchema } from '../../../shared/checker/index.js';
import { identifier } from '../../../shared/registry/index.js';
import { runCli } from '../../helpers/cli.js';
import { startTestEmulator } from '../../helpers/emulator.js';

let dual: RunningEmulator;
let legacy: RunningEmulator;

beforeAll(async () => {
  [dual, legacy] = await Promise.all([
    startTestEmulator({ compat: 'dual' }),
    startTestEmulator({ compat: 'legacy' }),
  ]);
});

afterAll(async () => {
  await Promise.all([dual?.stop(), legacy?.stop()]);
});

const args = (emu: RunningEmulator) => [
  '--api-url',
  emu.apiUrl,
  '--project-id',
  emu.projectId,
  '--publishable-client-key',
  emu.publishableClientKey,
  '--secret-server-key',
  emu.secretServerKey,
];

describe('check against the emulator', () => {
  it('dual mode: class dual, exit 0, no error findings, every scenario passes, a redacted HAR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexclave-check-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runCli(['check', ...args(dual), '--json', '--har', join(dir, 'probe.har')]);
    expect(result.stderr).toContain('Backend class: dual');
    expect(result.code).toBe(0);
    const report = CheckReportSchema.parse(JSON.parse(result.stdout));
    expect(report.backendClass).toBe('dual');
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.scenarios.filter((s) => s.status !== 'pass').map((s) => `${s.id}: ${s.summary}`)).toEqual(
      [],
    );
    expect(report.answers.every((a) => a.answer === 'yes')).toBe(true);
    expect(report.wallMs).toBeGreaterThan(0);
    const har = readFileSync(join(dir, 'probe.har'), 'utf8');
    expect(JSON.parse(har).log.entries.length).toBe(
      report.scenarios.reduce((n, s) => n + s.exchangeIds.length, 0),
    );
    expect(har).not.toContain(dual.publishableClientKey);
    expect(har).not.toContain(dual.secretServerKey);
    expect(har).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('legacy mode: class legacy, old works, new does not, findings name the missing hexclave identifiers', async () => {
    const run = await runCheck({
      apiUrl: legacy.apiUrl,
      projectId: legacy.projectId,
      publishableClientKey: legacy.publishableClientKey,
      secretServerKey: legacy.secretServerKey,
    });
    const { report } = run;
    expect(report.backendClass).toBe('legacy');
    expect(report.oldSdkWorks).toBe(true);
    expect(report.newSdkWorks).toBe(false);
    expect(report.exitCode).toBe(1);
    const missing = new Set(
      report.findings.flatMap(
        (f) => f.identifier?.names ?? (f.identifier?.hexclave ? [f.identifier.hexclave] : []),
      ),
    );
    for (const id of [
      'header.request-id',
      'header.known-error',
      'header.actual-status',
      'header.access-type',
      'header.project-id',
    ]) {
      expect(missing, id).toContain(identifier(id).new);
    }
    const newAuth = report.answers.find((a) => a.id === 'new-sdk-auth')!;
    expect(newAuth.answer).toBe('no');
    expect(newAuth.reason).toMatch(/backend ignores x-hexclave-/);
    expect(report.answers.find((a) => a.id === 'old-sdk-auth')!.answer).toBe('yes');
  });

  it('exits 2 with one line when the backend cannot be reached', async () => {
    const result = await runCli(['check', ...args(dual).slice(2), '--api-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^error: Cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
