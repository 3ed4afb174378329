import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { McpConfigError, resolveMcpConfig } from '../../../mcp-server/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-config-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('MCP server configuration', () => {
  it('reads HEXCLAVE_* before the STACK_* twin, through the registry', () => {
    const config = resolveMcpConfig(
      { projectDir: project() },
      { HEXCLAVE_PROJECT_ID: 'new-id', STACK_PROJECT_ID: 'old-id', STACK_API_URL: 'http://127.0.0.1:8102/' },
    );
    expect(config.projectId).toBe('new-id');
    expect(config.apiUrl).toBe('http://127.0.0.1:8102');
    expect(config.sources).toMatchObject({
      projectId: 'HEXCLAVE_PROJECT_ID (process env)',
      apiUrl: 'STACK_API_URL (process env)',
    });
  });

  it('dual-reads the companion names too: STACK_MIRROR_DATABASE_URL works when the HEXCLAVE_ name is unset', () => {
    const config = resolveMcpConfig(
      { projectDir: project() },
      { STACK_MIRROR_DATABASE_URL: 'postgres://u:p@h/db' },
    );
    expect(config.mirror).toMatchObject({
      url: 'postgres://u:p@h/db',
      schema: 'public',
      statementTimeoutMs: 5000,
    });
  });

  it('falls back to the project’s .env files (Next.js precedence) and lets flags win over everything', () => {
    const dir = project({
      '.env': 'NEXT_PUBLIC_STACK_PROJECT_ID=from-env-file\nHEXCLAVE_MIRROR_SCHEMA=tenant_a\n',
      '.env.local': 'NEXT_PUBLIC_HEXCLAVE_PROJECT_ID=from-env-local\n',
    });
    const fromFiles = resolveMcpConfig(
      { projectDir: dir },
      { HEXCLAVE_MIRROR_DATABASE_URL: 'postgres://h/db' },
    );
    expect(fromFiles.projectId).toBe('from-env-local');
    expect(fromFiles.mirror?.schema).toBe('tenant_a');
    const fromFlags = resolveMcpConfig({ projectDir: dir, projectId: 'flag-id' }, {});
    expect(fromFlags.projectId).toBe('flag-id');
    expect(fromFlags.sources.projectId).toBe('--project-id');
  });

  it('turns --read-only on from the flag or HEXCLAVE_MCP_READ_ONLY', () => {
    expect(resolveMcpConfig({ projectDir: project() }, {}).readOnly).toBe(false);
    expect(resolveMcpConfig({ projectDir: project(), readOnly: true }, {}).readOnly).toBe(true);
    expect(resolveMcpConfig({ projectDir: project() }, { HEXCLAVE_MCP_READ_ONLY: '1' }).readOnly).toBe(true);
  });

  it('rejects a bad mirror URL or timeout with a message that names it', () => {
    expect(() => resolveMcpConfig({ projectDir: project(), mirrorDatabaseUrl: 'mysql://x' }, {})).toThrow(
      McpConfigError,
    );
    expect(() => resolveMcpConfig({ projectDir: project(), statementTimeoutMs: 5 }, {})).toThrow(
      /between 100 and 600000/,
    );
  });
});
