import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFixes, planFixes, scanProject } from '../../../main/scan/index.js';

// Fixture projects with every expected finding listed: a finding that appears or disappears fails the test,
// so a name in a comment or in prose can never become one unnoticed.

const PROJECTS = join(import.meta.dirname, '..', '..', 'fixtures', 'scan', 'projects');

const EXPECTED: Record<string, string[]> = {
  'next-app': [
    '.env.local:2:1 NEXT_PUBLIC_STACK_PROJECT_ID env.NEXT_PUBLIC_STACK_PROJECT_ID stack prefer-new',
    '.env.local:3:1 NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY env.NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY stack prefer-new',
    '.env.local:4:1 STACK_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY stack prefer-new',
    '.env.local:5:1 NEXT_PUBLIC_STACK_PORT_PREFIX env.NEXT_PUBLIC_STACK_PORT_PREFIX stack breaks',
    '.env.local:6:1 NEXT_PUBLIC_STACK_API_URL env.NEXT_PUBLIC_STACK_API_URL stack prefer-new',
    '.env.local:6:46 NEXT_PUBLIC_STACK_PORT_PREFIX env.NEXT_PUBLIC_STACK_PORT_PREFIX stack breaks',
    'app/api/proxy/route.ts:2:47 NEXT_PUBLIC_STACK_API_URL env.NEXT_PUBLIC_STACK_API_URL stack prefer-new',
    'app/api/proxy/route.ts:4:8 x-stack-project-id header.project-id stack keeps-working',
    'app/api/proxy/route.ts:4:41 NEXT_PUBLIC_STACK_PROJECT_ID env.NEXT_PUBLIC_STACK_PROJECT_ID stack prefer-new',
    'app/api/proxy/route.ts:5:8 x-stack-access-type header.access-type stack keeps-working',
    'app/api/proxy/route.ts:6:8 x-stack-secret-server-key header.secret-server-key stack keeps-working',
    'app/api/proxy/route.ts:6:48 STACK_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY stack prefer-new',
    'app/handler/[...stack]/page.tsx:1:10 StackHandler export.StackHandler stack keeps-working',
    'app/handler/[...stack]/page.tsx:1:31 @stackframe/stack package.@stackframe/stack stack keeps-working',
    'components/dev-tool-toggle.tsx:5:39 __stack-dev-tool-state storage.dev-tool-state stack breaks',
    'components/dev-tool-toggle.tsx:7:27 data-stack-devtool-trigger dom.dev-tool-trigger stack breaks',
    'components/dev-tool-toggle.tsx:7:83 StackDevTool global.dev-tool stack prefer-new',
    'middleware.ts:5:39 stack-access cookie.access stack breaks',
    'middleware.ts:6:38 x-stack-access-token header.access-token stack breaks',
    'package.json:5:6 @stackframe/stack package.@stackframe/stack stack keeps-working',
    'stack.config.ts:1:1 stack.config.ts config.file stack keeps-working',
    'stack.config.ts:1:10 defineStackConfig export.defineStackConfig stack keeps-working',
    'stack.config.ts:1:36 @stackframe/stack package.@stackframe/stack stack keeps-working',
    'stack/server.ts:2:10 StackServerApp export.StackServerApp stack keeps-working',
    'stack/server.ts:2:33 @stackframe/stack package.@stackframe/stack stack keeps-working',
  ],
  'vite-spa': [
    '.env:1:1 VITE_STACK_PROJECT_ID env.VITE_STACK_PROJECT_ID stack prefer-new',
    '.env:2:1 VITE_STACK_PUBLISHABLE_CLIENT_KEY env.VITE_STACK_PUBLISHABLE_CLIENT_KEY stack prefer-new',
    'Dockerfile:3:5 VITE_STACK_PROJECT_ID env.VITE_STACK_PROJECT_ID stack prefer-new',
    'Dockerfile:4:5 VITE_STACK_API_URL env.VITE_STACK_API_URL stack prefer-new',
    'Dockerfile:4:32 api.stack-auth.com host.api stack keeps-working',
    'Dockerfile:5:25 VITE_STACK_PROJECT_ID env.VITE_STACK_PROJECT_ID stack prefer-new',
    'index.html:12:14 StackDevTool global.dev-tool stack prefer-new',
    'package.json:6:6 @stackframe/js package.@stackframe/js stack keeps-working',
    'scripts/deploy.sh:3:8 STACK_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY stack prefer-new',
    'scripts/deploy.sh:4:10 x-stack-access-type header.access-type stack keeps-working',
    'scripts/deploy.sh:4:43 x-stack-secret-server-key header.secret-server-key stack keeps-working',
    'scripts/deploy.sh:4:73 STACK_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY stack prefer-new',
    'scripts/deploy.sh:4:100 STACK_API_URL env.STACK_API_URL stack prefer-new',
    'src/auth-header.ts:3:11 Bearer stackauth_ bearer.prefix stack keeps-working',
    'src/auth-header.ts:7:28 hexclave_ bearer.prefix hexclave breaks',
    'src/cross-domain.ts:2:32 stack_cross_domain_state param.cross-domain-state stack breaks',
    'src/cross-domain.ts:5:50 stack_response_mode param.response-mode stack prefer-new',
    'src/mfa.ts:3:34 stack_mfa_attempt_code storage.mfa-attempt-code stack breaks',
    'src/stack.ts:1:10 StackClientApp export.StackClientApp stack keeps-working',
    'src/stack.ts:1:33 @stackframe/js package.@stackframe/js stack keeps-working',
    'src/stack.ts:4:30 VITE_STACK_PROJECT_ID env.VITE_STACK_PROJECT_ID stack prefer-new',
    'src/stack.ts:5:41 VITE_STACK_PUBLISHABLE_CLIENT_KEY env.VITE_STACK_PUBLISHABLE_CLIENT_KEY stack prefer-new',
  ],
  monorepo: [
    '.github/workflows/deploy.yml:7:7 HEXCLAVE_PROJECT_ID env.STACK_PROJECT_ID hexclave needs-new-sdk',
    '.github/workflows/deploy.yml:7:40 STACK_AUTH_PROJECT_ID env.STACK_AUTH_PROJECT_ID stack prefer-new',
    '.github/workflows/deploy.yml:11:15 @stackframe/stack-cli package.@stackframe/stack-cli stack keeps-working',
    '.github/workflows/deploy.yml:11:63 stack.config.ts config.file stack keeps-working',
    'apps/admin/.env:1:1 STACK_PROJECT_ID env.STACK_PROJECT_ID stack prefer-new',
    'apps/admin/.env:2:1 HEXCLAVE_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY hexclave breaks',
    'apps/admin/package.json:1:39 @stackframe/js package.@stackframe/js stack keeps-working',
    'apps/admin/src/app.ts:1:10 StackServerApp export.StackServerApp stack keeps-working',
    'apps/admin/src/app.ts:1:33 @stackframe/js package.@stackframe/js stack keeps-working',
    'apps/admin/src/app.ts:3:92 HEXCLAVE_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY hexclave breaks',
    'apps/web/.env:1:1 NEXT_PUBLIC_HEXCLAVE_PROJECT_ID env.NEXT_PUBLIC_STACK_PROJECT_ID hexclave keeps-working',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the scanner shows a run-time part as ${…}
    'apps/web/app/session.ts:2:11 stack-refresh-${…}--default cookie.refresh-default stack breaks',
    'apps/web/package.json:1:37 @stackframe/stack package.@stackframe/stack stack keeps-working',
    'docker-compose.yml:6:7 STACK_DATABASE_CONNECTION_STRING env.STACK_DATABASE_CONNECTION_STRING stack prefer-new',
    'docker-compose.yml:7:7 NEXT_PUBLIC_STACK_API_URL env.NEXT_PUBLIC_STACK_API_URL stack prefer-new',
    'docker-compose.yml:11:9 STACK_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY stack prefer-new',
    'docker-compose.yml:11:35 STACK_SECRET_SERVER_KEY env.STACK_SECRET_SERVER_KEY stack prefer-new',
  ],
  'comments-only': [],
};

const line = (f: ReturnType<typeof scanProject>['findings'][number]) =>
  `${f.file}:${f.line}:${f.column} ${f.identifier} ${f.entryId} ${f.family} ${f.verdict.kind}`;

describe('scan of the fixture projects', () => {
  it.each(Object.keys(EXPECTED))('finds exactly the expected identifiers in %s', (name) => {
    const report = scanProject(join(PROJECTS, name));
    expect(report.findings.map(line)).toEqual(EXPECTED[name]);
    expect(report.skipped).toEqual([]);
    expect(report.summary.findings).toBe(EXPECTED[name]!.length);
  });

  it('reports nothing in comments, prose strings or unrelated words', () => {
    const report = scanProject(join(PROJECTS, 'comments-only'));
    expect(report.filesScanned).toBe(7);
    expect(report.findings).toEqual([]);
  });

  it('does not read files .gitignore excludes', () => {
    const report = scanProject(join(PROJECTS, 'next-app'));
    expect(report.findings.some((f) => f.file.startsWith('generated/'))).toBe(false);
  });

  it('gives each finding its twin, the registry policy and a fix', () => {
    const report = scanProject(join(PROJECTS, 'next-app'));
    const cookie = report.findings.find((f) => f.identifier === 'stack-access')!;
    expect(cookie).toMatchObject({
      twin: 'hexclave-access',
      policy: 'read-new-first',
      verdict: {
        kind: 'breaks',
        text: 'breaks with SDK ≥ 2.8.108 (migrated to the new name)',
        since: '2.8.108',
      },
      fix: 'Use hexclave-access.',
    });
    const env = report.findings.find(
      (f) => f.file === '.env.local' && f.identifier === 'STACK_SECRET_SERVER_KEY',
    )!;
    expect(env.twin).toBe('HEXCLAVE_SECRET_SERVER_KEY');
    expect(env.verdict.text).toBe('keeps working; prefer the new name');
    expect(env.fix).toMatch(/^Add HEXCLAVE_SECRET_SERVER_KEY=<same value> next to it/);
  });

  it('tells a header the code sends (keeps working) from one it reads (breaks with the new SDK)', () => {
    const report = scanProject(join(PROJECTS, 'next-app'));
    const sent = report.findings.find((f) => f.identifier === 'x-stack-project-id')!;
    const read = report.findings.find((f) => f.identifier === 'x-stack-access-token')!;
    expect(sent.verdict.text).toBe('keeps working indefinitely');
    expect(read.verdict.text).toBe('breaks with SDK ≥ 2.8.108 (renamed outright)');
  });

  it('caps the findings it returns, worst first, and still counts them all', () => {
    const report = scanProject(join(PROJECTS, 'next-app'), { maxFindings: 3 });
    expect(report.truncated).toBe(true);
    expect(report.findings.map((f) => f.verdict.kind)).toEqual(['breaks', 'breaks', 'breaks']);
    expect(report.summary.findings).toBe(EXPECTED['next-app']!.length);
  });

  it('refuses a folder that does not exist, naming it', () => {
    expect(() => scanProject(join(PROJECTS, 'no-such-project'))).toThrow(/no-such-project does not exist/);
  });
});

describe('deploy view', () => {
  it('reads the versions of each app in a monorepo from node_modules and pnpm-lock.yaml', () => {
    const { deploy } = scanProject(join(PROJECTS, 'monorepo'));
    expect(
      deploy.apps.map((a) => [
        a.dir,
        a.packages.map((p) => `${p.name}@${p.version} ${p.source}`),
        a.generation,
      ]),
    ).toEqual([
      ['apps/admin', ['@stackframe/js@2.8.102 node_modules'], 'stack'],
      ['apps/web', ['@stackframe/stack@2.8.108 pnpm-lock.yaml'], 'hexclave'],
    ]);
  });

  it('names the hazards of 2.8.108 next to 2.8.102, each tied to registry entries', () => {
    const { deploy } = scanProject(join(PROJECTS, 'monorepo'));
    expect(deploy.hazards.map((h) => h.id)).toEqual([
      'sibling-sign-out',
      'split-sign-out',
      'cross-domain-handoff',
      'downgrade-signs-out',
    ]);
    const signOut = deploy.hazards[0]!;
    expect(signOut.detail).toMatch(/apps\/admin/);
    expect(signOut.entryIds).toEqual(['cookie.refresh-custom', 'cookie.refresh-default']);
  });

  it('reads yarn.lock and node_modules of a single app and finds no mixed-version hazard', () => {
    const { deploy } = scanProject(join(PROJECTS, 'vite-spa'));
    expect(deploy.apps).toHaveLength(1);
    expect(deploy.apps[0]!.packages[0]).toMatchObject({
      name: '@stackframe/js',
      version: '2.8.102',
      generation: 'stack',
    });
    expect(deploy.hazards).toEqual([]);
  });
});

describe('scan --fix', () => {
  let copy: string | null = null;
  afterEach(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
    copy = null;
  });

  it('adds each HEXCLAVE_ twin next to its STACK_ variable, shows secrets redacted, and is idempotent', () => {
    copy = mkdtempSync(join(tmpdir(), 'hexclave-scan-fix-'));
    cpSync(join(PROJECTS, 'next-app'), copy, { recursive: true });
    const before = readFileSync(join(copy, '.env.local'), 'utf8');
    const plans = planFixes(copy);
    expect(plans.map((p) => p.file)).toEqual(['.env.local']);
    expect(plans[0]!.added.map((a) => a.name)).toEqual([
      'NEXT_PUBLIC_HEXCLAVE_PROJECT_ID',
      'NEXT_PUBLIC_HEXCLAVE_PUBLISHABLE_CLIENT_KEY',
      'HEXCLAVE_SECRET_SERVER_KEY',
      'NEXT_PUBLIC_HEXCLAVE_PORT_PREFIX',
      'NEXT_PUBLIC_HEXCLAVE_API_URL',
    ]);
    expect(plans[0]!.diff).toContain('+HEXCLAVE_SECRET_SERVER_KEY=ssk_');
    expect(plans[0]!.diff).not.toContain('ssk_example');
    expect(readFileSync(join(copy, '.env.local'), 'utf8')).toBe(before);

    applyFixes(copy, plans);
    const after = readFileSync(join(copy, '.env.local'), 'utf8');
    expect(after).toContain('STACK_SECRET_SERVER_KEY=ssk_example\nHEXCLAVE_SECRET_SERVER_KEY=ssk_example\n');
    expect(planFixes(copy)).toEqual([]);
    const rescan = scanProject(copy).findings.filter(
      (f) => f.file === '.env.local' && f.family === 'hexclave',
    );
    expect(rescan.map((f) => f.verdict.kind)).toEqual(Array(5).fill('keeps-working'));
  });
});
