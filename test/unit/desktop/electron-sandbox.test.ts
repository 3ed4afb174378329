import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LinuxSandboxProbe,
  probeLinuxSandbox,
  sandboxFailure,
  sandboxPlan,
} from '../../../scripts/electron-sandbox.mjs';

// `npm start` decides from these whether Electron can sandbox its renderers on Linux (scripts/start.mjs). The
// machine profiles are the distributions' defaults; this machine's own probe is checked at the end.
const HELPER = '/home/dev/my app/node_modules/electron/dist/chrome-sandbox';
const profile = (overrides: Partial<LinuxSandboxProbe>): LinuxSandboxProbe => ({
  uid: 1000,
  unprivilegedUsernsClone: null,
  maxUserNamespaces: '63000',
  apparmorRestrictsUserns: null,
  helperPath: HELPER,
  helper: { uid: 1000, mode: 0o100755 },
  ...overrides,
});
const FIX = `sudo chown root:root '${HELPER}' && sudo chmod 4755 '${HELPER}'`;

describe('Chromium’s sandbox on Linux, as npm start sees it', () => {
  it('root: --no-sandbox (Chromium cannot sandbox root), and only root', () => {
    expect(sandboxPlan(profile({ uid: 0 }))).toMatchObject({ args: ['--no-sandbox'] });
    expect(sandboxPlan(profile({}))).toEqual({ args: [] });
  });

  it('user namespaces allowed (Fedora, Arch, Debian 11+): the namespace sandbox, nothing to pass', () => {
    expect(sandboxPlan(profile({ unprivilegedUsernsClone: '1' }))).toEqual({ args: [] });
  });

  it('user namespaces blocked and chrome-sandbox as npm installed it: unusable, with the exact fix', () => {
    for (const blocked of [
      { unprivilegedUsernsClone: '0' },
      { maxUserNamespaces: '0' },
      { apparmorRestrictsUserns: '1' }, // Ubuntu 23.10+
    ]) {
      const plan = sandboxPlan(profile(blocked));
      expect(plan).toEqual({ unusable: expect.stringContaining('not setuid root'), fix: FIX });
    }
  });

  it('user namespaces blocked but chrome-sandbox setuid root: the setuid sandbox works', () => {
    expect(
      sandboxPlan(profile({ apparmorRestrictsUserns: '1', helper: { uid: 0, mode: 0o104755 } })),
    ).toEqual({ args: [] });
    // Owned by root but without the setuid bit is still unusable.
    expect(
      sandboxPlan(profile({ apparmorRestrictsUserns: '1', helper: { uid: 0, mode: 0o100755 } })),
    ).toHaveProperty('fix', FIX);
  });

  it('quotes a path with a quote in it so the printed command stays one safe command', () => {
    const path = "/home/o'brien/app/node_modules/electron/dist/chrome-sandbox";
    const plan = sandboxPlan(profile({ unprivilegedUsernsClone: '0', helperPath: path }));
    expect(plan).toHaveProperty(
      'fix',
      `sudo chown root:root '/home/o'\\''brien/app/node_modules/electron/dist/chrome-sandbox' && sudo chmod 4755 '/home/o'\\''brien/app/node_modules/electron/dist/chrome-sandbox'`,
    );
  });

  const dist = mkdtempSync(join(tmpdir(), 'electron-dist-'));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('reads the helper next to the binary and this machine’s settings', () => {
    writeFileSync(join(dist, 'electron'), '');
    writeFileSync(join(dist, 'chrome-sandbox'), '');
    chmodSync(join(dist, 'chrome-sandbox'), 0o755);
    const probe = probeLinuxSandbox(join(dist, 'electron'));
    expect(probe.helperPath).toBe(join(dist, 'chrome-sandbox'));
    expect(probe.helper!.mode & 0o7777).toBe(0o755);
    expect(probe.uid).toBe(process.getuid!());
    expect(probeLinuxSandbox(join(dist, 'nowhere', 'electron')).helper).toBeNull();
  });
});

// What Chromium prints before it aborts (Electron 41's Chromium, sandbox/linux and content/browser/zygote_host).
const SUID_MISCONFIGURED =
  "[12345:1204/101010.123456:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /home/dev/app/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.\n";
const NO_SANDBOX =
  '[1:1204/101010.1:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel or see https://chromium.googlesource.com/chromium/src/+/main/docs/linux/suid_sandbox_development.md for more information on developing with the SUID sandbox. If you want to live dangerously and need an immediate workaround, you can try using --no-sandbox.\n';
const CONTAINER =
  '[1:1204/101010.1:FATAL:zygote_host_impl_linux.cc(201)] Check failed: . : Failed to move to new namespace: PID namespaces supported, Network namespace supported, but failed: errno = Operation not permitted (1)\n';

describe('Chromium’s sandbox failure, as Electron’s stderr says it', () => {
  it('recognises each way the sandbox stops Chromium, and the helper path it names', () => {
    expect(sandboxFailure(`some log\n${SUID_MISCONFIGURED}`)).toEqual({
      helperPath: '/home/dev/app/node_modules/electron/dist/chrome-sandbox',
    });
    expect(sandboxFailure(NO_SANDBOX)).toEqual({ helperPath: null });
    expect(sandboxFailure(CONTAINER)).toEqual({ helperPath: null });
  });

  it('is not fooled by other crashes or by the word sandbox alone', () => {
    expect(
      sandboxFailure("[1:FATAL:gpu_data_manager_impl_private.cc] GPU process isn't usable. Goodbye.\n"),
    ).toBeNull();
    expect(sandboxFailure('Running without the sandbox is not recommended\n')).toBeNull();
    expect(sandboxFailure('')).toBeNull();
  });
});
