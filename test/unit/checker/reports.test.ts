import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../main/checker/index.js';
import { type CheckReport, CheckReportSchema } from '../../../shared/checker/index.js';

function legacyReport(): CheckReport {
  const scenario = (
    scenario: string,
    title: string,
    family: 'old' | 'new' | 'mixed' | null,
    status: 'pass' | 'fail' | 'skipped',
    summary: string,
  ) => ({
    id: family ? `${scenario}:${family}` : scenario,
    scenario,
    title,
    family,
    status,
    summary,
    durationMs: 4,
    exchangeIds: ['p1'],
    counts: { error: 0, warning: 0, info: 0 },
  });
  return CheckReportSchema.parse({
    schemaVersion: 1,
    tool: { name: 'hexclave-companion', version: '0.1.0' },
    target: { apiUrl: 'http://127.0.0.1:8102', projectId: 'p', serverKeyGiven: false },
    startedAt: new Date(0).toISOString(),
    wallMs: 321,
    backendClass: 'legacy',
    classReasons: ['an old SDK works; a new SDK (x-hexclave-* only) does not'],
    oldSdkWorks: true,
    newSdkWorks: false,
    mixedWorks: true,
    answers: [
      { id: 'old-sdk-auth', question: 'An old SDK (x-stack-* only) can authenticate', answer: 'yes' },
      {
        id: 'new-sdk-auth',
        question: 'A new SDK (x-hexclave-* only) can authenticate',
        answer: 'no',
        reason: 'backend ignores x-hexclave-access-type',
      },
      {
        id: 'server-keys',
        question: 'Secret server keys work in both families',
        answer: 'not checked',
        reason: 'no --secret-server-key given',
      },
    ],
    scenarios: [
      scenario('sign-in', 'sign-in', 'old', 'pass', 'signed in'),
      scenario('sign-in', 'sign-in', 'new', 'fail', 'sign-in failed: HTTP 400 ACCESS_TYPE_REQUIRED <&>'),
      scenario('jwks', 'JWKS', null, 'pass', '2 signing key(s) published'),
      scenario('server-users', 'server users list', 'old', 'skipped', 'no --secret-server-key given'),
    ],
    findings: [
      {
        ruleId: 'client.new-headers-ignored',
        severity: 'error',
        identifier: {
          id: 'header.access-type',
          stack: 'x-stack-access-type',
          hexclave: 'x-hexclave-access-type',
          names: ['x-hexclave-access-type'],
        },
        message:
          'The backend answered ACCESS_TYPE_REQUIRED | although the request sent x-hexclave-access-type.',
        expected: 'accepted',
        actual: 'known error ACCESS_TYPE_REQUIRED',
        evidence: 'POST /api/v1/auth/password/sign-in → 400',
        scenarioId: 'sign-in:new',
        family: 'new',
        occurrences: 3,
      },
      {
        ruleId: 'client.family',
        severity: 'info',
        identifier: null,
        message: 'Sent by an old SDK (stack names only).',
        expected: 'old, new or mixed',
        actual: 'old',
        evidence: 'x',
        scenarioId: 'sign-in:old',
        family: 'old',
        occurrences: 1,
      },
    ],
    counts: { error: 1, warning: 0, info: 1 },
    exitCode: 1,
  });
}

describe('check reports', () => {
  it('text: verdict, answers, matrix and findings by scenario; colour only when asked', () => {
    const plain = renderReport(legacyReport(), 'text', { color: false });
    expect(plain).toContain('Backend: LEGACY — serves old SDKs only');
    expect(plain).toContain(
      '✗ A new SDK (x-hexclave-* only) can authenticate: no — backend ignores x-hexclave-access-type',
    );
    expect(plain).toMatch(/sign-in\s+✓ pass\s+✗ fail/);
    expect(plain).toMatch(/sign-in — new SDK \(x-hexclave-\*\): sign-in failed/);
    expect(plain).toContain('x-hexclave-access-type (×3)');
    expect(plain).not.toContain('client.family');
    expect(plain).not.toContain('\u001b[');
    expect(renderReport(legacyReport(), 'text', { color: true })).toContain('\u001b[');
    expect(renderReport(legacyReport(), 'text', { color: false, verbose: true })).toContain('client.family');
  });

  it('markdown: a PR comment with escaped table cells and info folded away', () => {
    const md = renderReport(legacyReport(), 'markdown');
    expect(md).toMatch(/^## ⚠️ Hexclave compatibility: LEGACY/);
    expect(md).toContain(
      '| A new SDK (x-hexclave-* only) can authenticate | **no** — backend ignores x-hexclave-access-type |',
    );
    expect(md).toContain('ACCESS_TYPE_REQUIRED \\| although');
    expect(md).toContain('<details><summary>1 info finding(s)</summary>');
  });

  it('junit: one suite per family plus the test plan, failures carry the findings, XML escaped', () => {
    const xml = renderReport(legacyReport(), 'junit');
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="hexclave-check" tests="7" failures="2"/,
    );
    expect(xml).toContain('<testsuite name="hexclave-check · new SDK (x-hexclave-*)" tests="1" failures="1"');
    expect(xml).toContain('ACCESS_TYPE_REQUIRED &lt;&amp;&gt;');
    expect(xml).toContain('<skipped message="no --secret-server-key given"/>');
    expect(xml).not.toMatch(/<[^>]*<</);
  });

  it('json: round-trips through the published schema', () => {
    const json = JSON.parse(renderReport(legacyReport(), 'json'));
    expect(CheckReportSchema.parse(json)).toEqual(legacyReport());
  });
});
