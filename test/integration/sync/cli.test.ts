import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureProject } from '../../../main/emulator/index.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { type InternalDb, insertUser, internalDatabase, mirrorDatabase, mirrorRows } from './helpers.js';

let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;

beforeAll(async () => {
  source = await internalDatabase('sync_cli_src');
  mirror = await mirrorDatabase('sync_cli_dst');
  await insertUser(source, 'From the CLI', 'cli@example.com');
});

describe('hexclave-companion sync', () => {
  it('--once catches up and prints one JSON summary', async () => {
    const result = await runCli(['sync', '--source', source.url, '--target', mirror.url, '--once']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(Object.keys(summary)).toEqual(['mappings', 'seconds']);
    expect(summary.mappings.find((m: { name: string }) => m.name === 'users')).toEqual({
      name: 'users',
      rowsApplied: 1,
      lastSyncedSequenceId: expect.any(Number),
    });
    expect(
      summary.mappings.find((m: { name: string }) => m.name === 'users').lastSyncedSequenceId,
    ).toBeGreaterThan(0);
    expect(await mirrorRows(mirror, 'SELECT display_name FROM users')).toEqual([
      { display_name: 'From the CLI' },
    ]);
  });

  it('asks which tenancy when the source has several (exit 2, one line)', async () => {
    const other = await internalDatabase('sync_cli_two');
    await ensureProject(other.url, { projectId: crypto.randomUUID() });
    const result = await runCli(['sync', '--source', other.url, '--target', mirror.url, '--once']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/choose one with --tenancy ID/);
    expect(result.stderr).toContain(other.project.tenancyId);
  });

  it('reports an unreachable target with exit 1 and never prints its password', async () => {
    const bad = 'postgres://mirror_owner:sup3r-s3cret@127.0.0.1:1/nowhere';
    const result = await runCli(['sync', '--source', source.url, '--target', bad, '--once']);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary.errors[0].target).toBe('target-1');
    expect(`${result.stdout}${result.stderr}`).not.toContain('sup3r-s3cret');
    expect(`${result.stdout}${result.stderr}`).not.toContain('hexclave-companion-local');
  });

  it('rejects a source that is not a Stack Auth / Hexclave database, saying what to point at', async () => {
    const result = await runCli(['sync', '--source', mirror.url, '--target', mirror.url, '--once']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/internal database of the emulator or of a self-hosted backend/);
  });

  it('runs until interrupted, streaming NDJSON status lines with --json', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'sync', '--source', source.url, '--target', mirror.url, '--json'],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk) => {
        buffer += chunk;
        if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const status = JSON.parse(line);
    expect(status.targets[0]).toMatchObject({
      id: 'target-1',
      backlogRows: expect.any(Number),
      rowsPerSec: expect.any(Number),
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
