import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
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

  it('loads only the code of the command that runs', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'cli-imports-')), 'imports.txt');
    const hook = join(packageRoot(), 'test', 'fixtures', 'record-imports.mjs');
    const loaded = async (args: string[]) => {
      const child = spawn(process.execPath, ['--import', hook, CLI, ...args], {
        env: { ...process.env, RECORD_IMPORTS_FILE: record },
        stdio: 'ignore',
      });
      await new Promise((resolve) => child.on('close', resolve));
      const urls = readFileSync(record, 'utf8').split('\n');
      const commandChunks = urls
        .map((url) => /\/out\/main\/(\w+)-[A-Z0-9]+\.js$/.exec(url)?.[1])
        .filter((name) => name !== undefined && name !== 'chunk');
      const packages = urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []);
      return { commandChunks: [...new Set(commandChunks)], packages: [...new Set(packages)] };
    };
    const ids = await loaded(['ids', 'stack-refresh']);
    expect(ids.commandChunks).toEqual(['ids']);
    expect(ids.packages).toEqual(['commander']);
  });
});
