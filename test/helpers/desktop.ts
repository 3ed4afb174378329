import { rmSync } from 'node:fs';
import { _electron, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { packageRoot } from '../../main/package-root.js';
import { electronBinary, hasDisplay } from '../../scripts/electron-binary.mjs';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/index.js';
import { callApi, type ServeProcess, startServeProcess } from './serve-process.js';
import { postgresTempDir } from './temp-dir.js';

/** The companion's UI in one window, plus a side door to its typed API for setting up what a test needs. */
export interface CompanionUnderTest {
  readonly mode: 'serve' | 'electron';
  readonly page: Page;
  /** The app-data folder of this instance (projects, secrets, Postgres clusters). */
  readonly home: string;
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1360, height: 860 };

/** `hexclave-companion serve` as a real process on its own app-data folder, driven by Chromium. */
export async function launchServeCompanion(browser: Browser): Promise<CompanionUnderTest> {
  const home = postgresTempDir('companion-ui-');
  let serve: ServeProcess;
  try {
    serve = await startServeProcess([], { HEXCLAVE_COMPANION_HOME: home });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(serve.url);
  return {
    mode: 'serve',
    page,
    home,
    call: (method, input) => callApi(serve, method, input),
    async close() {
      await page.close().catch(() => {});
      await serve.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Why the Electron variant cannot run here, or null when it can. */
export function electronSkipReason(): string | null {
  const binary = electronBinary();
  if ('missing' in binary) return `Electron UI tests skipped: ${binary.missing}.`;
  if (!hasDisplay()) return 'Electron UI tests skipped: no display (run under xvfb-run or set DISPLAY).';
  return null;
}

/** The desktop app itself (out/main, built by the ui project's global setup) through Playwright's `_electron`. */
export async function launchElectronCompanion(): Promise<CompanionUnderTest> {
  const binary = electronBinary();
  if ('missing' in binary) throw new Error(binary.missing);
  const home = postgresTempDir('companion-ui-');
  let app: ElectronApplication;
  try {
    app = await _electron.launch({
      executablePath: binary.path,
      args: [packageRoot(), ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, HEXCLAVE_COMPANION_HOME: home } as Record<string, string>,
    });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  // The window keeps the size main gives it (1280×820); Electron pages cannot be resized from Playwright.
  const page = await app.firstWindow();
  return {
    mode: 'electron',
    page,
    home,
    async call(method, input) {
      const reply = await page.evaluate(
        ([m, i]) =>
          (
            window as unknown as {
              hexclaveCompanion: { call(m: string, i: unknown): Promise<{ ok: boolean; result?: unknown }> };
            }
          ).hexclaveCompanion.call(m, i),
        [method, input] as const,
      );
      if (!reply.ok) throw new Error(`${method}: ${JSON.stringify(reply)}`);
      return reply.result as never;
    },
    async close() {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
