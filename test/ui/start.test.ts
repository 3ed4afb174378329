import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../main/package-root.js';
import { callApi, startServeProcess } from '../helpers/serve-process.js';
import { postgresTempDir } from '../helpers/temp-dir.js';

const home = postgresTempDir('npm-start-home-');
afterAll(() => rmSync(home, { recursive: true, force: true }));

// In the UI group, not integration: start.mjs rebuilds out/, which the integration suites' servers read concurrently.
describe('npm start', () => {
  // With no display (CI, SSH) Electron cannot open a window, whether or not its binary was downloaded.
  it('builds, says why Electron cannot start, serves the UI and its API, and stops on SIGTERM', async () => {
    const companion = await startServeProcess(
      [],
      { HEXCLAVE_COMPANION_HOME: home, DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
      [join(packageRoot(), 'scripts', 'start.mjs')],
    );
    let exitCode: number | null;
    try {
      expect(companion.stderr()).toMatch(
        /Electron cannot start: .+\. Serving the same UI in your browser instead\./,
      );
      const page = await fetch(companion.origin);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const { entries } = await callApi(companion, 'registry.search', { query: 'stack-refresh' });
      expect(entries.map((e) => e.new)).toContain('hexclave-refresh-{projectId}--default');
    } finally {
      exitCode = await companion.stop();
    }
    expect(exitCode).toBe(0);
  }, 180_000);
});
