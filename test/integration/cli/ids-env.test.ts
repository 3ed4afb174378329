import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const CLEAN_ENV = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => /STACK|HEXCLAVE/.test(k))
    .map((k) => [k, undefined]),
);

describe('hexclave-companion ids', () => {
  it('lists both refresh-cookie families with their policy as JSON', async () => {
    const result = await runCli(['ids', 'stack-refresh', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      entries: Array<{ id: string; old: string; new: string; policy: string }>;
    };
    const refresh = json.entries.find((e) => e.id === 'cookie.refresh-default')!;
    expect(refresh.old).toBe('stack-refresh-{projectId}--default');
    expect(refresh.new).toBe('hexclave-refresh-{projectId}--default');
    expect(refresh.policy).toBe('read-new-first');
    expect(json.entries.map((e) => e.id)).toContain('cookie.refresh-custom');
  });

  it('exits 2 with one clear line on bad usage', async () => {
    const result = await runCli(['ids', '--policy', 'sometimes']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^error: Unknown policy "sometimes"\. Use one of: dual-accept/);
    expect((await runCli(['no-such-command'])).code).toBe(2);
  });
});

describe('hexclave-companion env', () => {
  it('reports HEXCLAVE as effective, the conflict, and redacts both secret values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexclave-env-'));
    writeFileSync(
      join(dir, '.env'),
      'STACK_SECRET_SERVER_KEY=ssk_oldoldoldoldoldold\nHEXCLAVE_SECRET_SERVER_KEY=ssk_newnewnewnewnewnew\n',
    );
    writeFileSync(join(dir, 'stack.config.ts'), 'export const config = {};\n');
    const text = await runCli(['env', dir], { env: CLEAN_ENV });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /HEXCLAVE_SECRET_SERVER_KEY\s+HEXCLAVE_SECRET_SERVER_KEY\s+\.env\s+ssk_•••••/,
    );
    expect(text.stdout).toMatch(
      /HEXCLAVE_SECRET_SERVER_KEY and STACK_SECRET_SERVER_KEY are set to different values; HEXCLAVE_SECRET_SERVER_KEY wins/,
    );
    expect(text.stdout).toContain('Config file: stack.config.ts');
    expect(text.stdout).not.toContain('oldoldold');
    expect(text.stdout).not.toContain('newnewnew');

    const json = await runCli(['env', dir, '--json'], { env: CLEAN_ENV });
    const report = JSON.parse(json.stdout) as {
      resolutions: Array<{
        canonicalName: string;
        conflict: boolean;
        effective: { name: string; value: string };
      }>;
    };
    const key = report.resolutions.find((r) => r.canonicalName === 'HEXCLAVE_SECRET_SERVER_KEY')!;
    expect(key.conflict).toBe(true);
    expect(key.effective.name).toBe('HEXCLAVE_SECRET_SERVER_KEY');
    expect(json.stdout).not.toContain('newnewnew');
  });

  it('applies Next.js precedence: .env.development.local beats .env.local beats .env', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexclave-env-'));
    writeFileSync(join(dir, '.env'), 'STACK_PROJECT_ID=from-env\n');
    writeFileSync(join(dir, '.env.local'), 'STACK_PROJECT_ID=from-local\n');
    writeFileSync(join(dir, '.env.development.local'), 'STACK_PROJECT_ID=from-dev-local\n');
    const result = await runCli(['env', dir, '--json', '--node-env', 'development'], { env: CLEAN_ENV });
    const report = JSON.parse(result.stdout) as {
      resolutions: Array<{ canonicalName: string; effective: { value: string; source: string } }>;
    };
    expect(
      report.resolutions.find((r) => r.canonicalName === 'HEXCLAVE_PROJECT_ID')!.effective,
    ).toMatchObject({
      value: 'from-dev-local',
      source: '.env.development.local',
    });
  });

  it('expands ${NAME} references as Next.js does, from the file itself and from higher layers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexclave-env-'));
    writeFileSync(
      join(dir, '.env'),
      'NEXT_PUBLIC_STACK_PORT_PREFIX=81\nNEXT_PUBLIC_STACK_API_URL=http://localhost:${NEXT_PUBLIC_STACK_PORT_PREFIX}02\n' +
        'STACK_PROJECT_ID=${PROJECT_FROM_LOCAL}\nSTACK_PUBLISHABLE_CLIENT_KEY=pck_\\$literal\n',
    );
    writeFileSync(join(dir, '.env.local'), 'PROJECT_FROM_LOCAL=p-123\n');
    const result = await runCli(['env', dir, '--json', '--node-env', 'development'], { env: CLEAN_ENV });
    const report = JSON.parse(result.stdout) as {
      resolutions: Array<{ canonicalName: string; effective: { value: string; source: string } | null }>;
    };
    const effective = (name: string) => report.resolutions.find((r) => r.canonicalName === name)?.effective;
    expect(effective('NEXT_PUBLIC_HEXCLAVE_API_URL')).toMatchObject({ value: 'http://localhost:8102', source: '.env' });
    expect(effective('HEXCLAVE_PROJECT_ID')).toMatchObject({ value: 'p-123', source: '.env' });
    expect(effective('HEXCLAVE_PUBLISHABLE_CLIENT_KEY')?.value).toBe('pck_$literal');
  });

  it('exits 2 for a folder that does not exist', async () => {
    const result = await runCli(['env', '/definitely/not/here']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not exist/);
  });
});
