import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overlayScriptFile } from '../../../main/overlay-host/index.js';
import { packageRoot } from '../../../main/package-root.js';
import { electronBinary, hasDisplay } from '../../../scripts/electron-binary.mjs';
import { type OverlayDemo, startOverlayDemo } from '../../fixtures/overlay-demo/server.js';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator.js';

const binary = electronBinary();
const skipReason =
  'missing' in binary
    ? `Electron wrapped-window tests skipped: ${binary.missing}.`
    : hasDisplay()
      ? null
      : 'Electron wrapped-window tests skipped: no display (set DISPLAY, e.g. run under xvfb-run).';
if (skipReason) console.warn(skipReason);

interface WindowResult {
  state: {
    mode: string;
    user: { email: string } | null;
    cookiePairs: { kind: string; status: string }[];
    exchanges: { seq: number | null; family: string }[];
  };
  sameObject: boolean;
  items: {
    source: string;
    pageUrl: string | null;
    family: string;
    url: string;
    requestHeaderNames: string[];
  }[];
  pages: { source: string; findings: string[] }[];
}

describe.skipIf(skipReason !== null)('wrapped app window (Electron, CDP capture)', () => {
  let emulator: TestEmulator;
  let demo: OverlayDemo;
  const workDir = mkdtempSync(join(tmpdir(), 'app-window-'));

  beforeAll(async () => {
    emulator = await startTestEmulator({ label: 'app_window' });
    demo = await startOverlayDemo({
      apiUrl: emulator.apiUrl,
      projectId: emulator.projectId,
      publishableClientKey: emulator.publishableClientKey,
      overlayScriptUrl: null, // the window's preload brings the overlay
    });
    await build({
      entryPoints: [join(packageRoot(), 'test', 'fixtures', 'electron-app-window', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['electron'],
      outfile: join(workDir, 'main.mjs'),
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await demo?.close();
    await emulator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('captures the app’s backend traffic through CDP, checks it and shows it in the page’s overlay', async () => {
    const electronPath = (binary as { path: string }).path;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        electronPath,
        [join(workDir, 'main.mjs'), ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        {
          env: {
            ...process.env,
            APP_URL: demo.url,
            API_URL: emulator.apiUrl,
            OVERLAY_PRELOAD: join(packageRoot(), 'out', 'preload', 'overlay.cjs'),
            OVERLAY_SCRIPT: overlayScriptFile(),
            DEMO_EMAIL: 'window-demo@example.com',
            DEMO_PASSWORD: 'window-demo-password-1',
            HEXCLAVE_COMPANION_HOME: workDir,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', () =>
        stdout.includes('RESULT ') ? resolve(stdout) : reject(new Error(`${stdout}\n${stderr}`)),
      );
    });
    const result = JSON.parse(output.slice(output.indexOf('RESULT ') + 7).split('\n')[0]!) as WindowResult;

    const demoCalls = result.items.filter(
      (item) => item.url.includes('/auth/password/') || item.url.endsWith('/users/me'),
    );
    expect(
      demoCalls
        .slice(0, 4)
        .map((item) => item.family)
        .sort(),
    ).toEqual(['new', 'new', 'old', 'old']);
    expect(result.items.every((item) => item.source === 'window' && item.pageUrl === demo.url)).toBe(true);
    expect(result.items.length).toBeGreaterThanOrEqual(5); // one more after DevTools took the debugger
    expect(result.sameObject).toBe(true);
    expect(result.state.mode).toBe('window');
    expect(result.state.user?.email).toBe('window-demo@example.com');
    expect(result.state.cookiePairs.find((p) => p.kind === 'refresh-default')?.status).toBe('mismatch');
    expect(result.state.exchanges.every((e) => e.seq !== null)).toBe(true);
    expect(
      result.pages.some((p) => p.source === 'window' && p.findings.includes('hazard.split-sessions')),
    ).toBe(true);
  }, 90_000);
});
