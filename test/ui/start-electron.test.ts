import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../main/package-root.js';
import { callApi, startServeProcess } from '../helpers/serve-process.js';
import { postgresTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from '../helpers/wait.js';

// `npm start` with a stand-in for the Electron binary (ELECTRON_OVERRIDE_DIST_PATH, Electron's own override): what
// start.mjs passes it and what becomes of its exit. In the UI group, like test/ui/start.test.ts: start.mjs may
// rebuild out/. The sandbox decisions themselves: test/unit/desktop/electron-sandbox.test.ts.
const root = packageRoot();
const dist = mkdtempSync(join(tmpdir(), 'electron-stand-in-'));
const argsFile = join(dist, 'args.txt');
const readyFile = join(dist, 'ready');
const sigintsFile = join(dist, 'sigints.txt');
writeFileSync(
  join(dist, 'electron'),
  `#!/bin/sh
printf '%s\\n' "$@" > '${argsFile}'
case "$STAND_IN_END" in
  abort) kill -ABRT $$ ;;
  sandbox)
    echo "[4242:1204/101010.123456:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that $(dirname "$0")/chrome-sandbox is owned by root and has mode 4755." >&2
    kill -TRAP $$ ;;
  ctrl-c) exec '${process.execPath}' '${join(dist, 'count-sigints.mjs')}' ;;
  code) exit 3 ;;
esac
exit 0
`,
  { mode: 0o755 },
);
writeFileSync(join(dist, 'chrome-sandbox'), '', { mode: 0o755 });
// Counts the SIGINTs it gets for 3 s after start-up, as the real app's handler would see them: the first starts a
// clean shutdown, a second one means "stop now, skip it".
writeFileSync(
  join(dist, 'count-sigints.mjs'),
  `import { writeFileSync } from 'node:fs';
let count = 0;
process.on('SIGINT', () => count++);
writeFileSync(${JSON.stringify(readyFile)}, '');
setTimeout(() => {
  writeFileSync(${JSON.stringify(sigintsFile)}, String(count));
  process.exit(0);
}, 3_000);
`,
);
const home = postgresTempDir('npm-start-sandbox-home-');
afterAll(() => {
  rmSync(dist, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

function npmStart(
  end: string,
  onSpawn?: (pid: number) => void,
  args: string[] = [],
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), ...args], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':99', STAND_IN_END: end },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, like a shell's foreground job: a terminal's Ctrl+C goes to the whole group.
      detached: true,
    });
    onSpawn?.(child.pid!);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const isRoot = process.getuid?.() === 0;

describe('npm start with Electron', () => {
  it('an Electron that dies by a signal (no sandbox message) is a failed npm start, with the signal named', async () => {
    const result = await npmStart('abort');
    expect(result.code).toBe(134); // 128 + SIGABRT
    expect(result.stderr).toContain('Electron was ended by SIGABRT');
    // The app itself, and --no-sandbox exactly when this is root.
    expect(readFileSync(argsFile, 'utf8').trim().split('\n')).toEqual([
      root,
      ...(isRoot ? ['--no-sandbox'] : []),
    ]);
  }, 120_000);

  it('Electron’s own exit code is npm start’s', async () => {
    expect((await npmStart('code')).code).toBe(3);
    expect((await npmStart('clean')).code).toBe(0);
    // The developer's own --no-sandbox goes to Electron once, and the sandbox checks stand aside.
    expect((await npmStart('clean', undefined, ['--no-sandbox'])).code).toBe(0);
    expect(readFileSync(argsFile, 'utf8').trim().split('\n')).toEqual([root, '--no-sandbox']);
  }, 120_000);

  it('Ctrl+C in the terminal reaches Electron once (twice would skip its clean shutdown), and a clean stop is 0', async () => {
    rmSync(readyFile, { force: true });
    rmSync(sigintsFile, { force: true });
    let group = 0;
    const exited = npmStart('ctrl-c', (pid) => (group = pid));
    await waitUntil(() => existsSync(readyFile), Boolean, 'the stand-in Electron to start', 60_000);
    process.kill(-group, 'SIGINT'); // what the terminal does: the signal to every process of the job
    expect((await exited).code).toBe(0);
    expect(readFileSync(sigintsFile, 'utf8').trim()).toBe('1');
  }, 120_000);

  it('Chromium’s sandbox stops Electron: the browser UI takes over, with the exact command that fixes it', async () => {
    const companion = await startServeProcess(
      [],
      {
        HEXCLAVE_COMPANION_HOME: home,
        ELECTRON_OVERRIDE_DIST_PATH: dist,
        DISPLAY: ':99',
        STAND_IN_END: 'sandbox',
      },
      [join(root, 'scripts', 'start.mjs')],
    );
    let exitCode: number | null;
    try {
      const helper = `'${join(dist, 'chrome-sandbox')}'`;
      // Chromium's own line still shows, then why and how to fix it.
      expect(companion.stderr()).toContain('The SUID sandbox helper binary was found');
      expect(companion.stderr()).toContain(
        "Electron cannot start: Chromium's sandbox stopped Electron (SIGTRAP). Serving the same UI in your browser instead.",
      );
      expect(companion.stderr()).toContain(
        `run once:\n\n    sudo chown root:root ${helper} && sudo chmod 4755 ${helper}\n`,
      );
      expect((await fetch(companion.origin)).status).toBe(200);
      const { entries } = await callApi(companion, 'registry.search', { query: 'stack-refresh' });
      expect(entries.length).toBeGreaterThan(0);
    } finally {
      exitCode = await companion.stop();
    }
    expect(exitCode).toBe(0);
  }, 180_000);
});
