// Can Chromium's sandbox run for Electron on this Linux machine, and if not, what fixes it? Used by `npm start`.
// Chromium sandboxes its renderers with unprivileged user namespaces, or failing those with the setuid helper
// `chrome-sandbox` next to the binary. `npm install` leaves that helper owned by the installing user, so where
// user namespaces are blocked (Debian's kernel.unprivileged_userns_clone=0, Ubuntu 23.10+'s AppArmor restriction,
// user.max_user_namespaces=0) Chromium aborts at start-up. As root Chromium refuses to sandbox at all.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const readSysctl = (path) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/** What this machine says (all fields may be null where the file does not exist). */
export function probeLinuxSandbox(binaryPath) {
  const helperPath = join(dirname(binaryPath), 'chrome-sandbox');
  let helper = null;
  try {
    const stat = statSync(helperPath);
    helper = { uid: stat.uid, mode: stat.mode };
  } catch {
    // no helper
  }
  return {
    uid: process.getuid?.() ?? null,
    unprivilegedUsernsClone: readSysctl('/proc/sys/kernel/unprivileged_userns_clone'),
    maxUserNamespaces: readSysctl('/proc/sys/user/max_user_namespaces'),
    apparmorRestrictsUserns: readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    helperPath,
    helper,
  };
}

const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The command that makes Chromium's setuid sandbox helper usable. */
export function helperFix(helperPath) {
  const quoted = shellQuote(helperPath);
  return `sudo chown root:root ${quoted} && sudo chmod 4755 ${quoted}`;
}

/**
 * How to start Electron given a probe: `{ args }` to pass, or `{ unusable, fix }` when the sandbox cannot work
 * and the browser UI should be used instead, `fix` being the exact command that makes it work.
 */
export function sandboxPlan(probe) {
  if (probe.uid === 0)
    return { args: ['--no-sandbox'], note: 'running as root: Chromium cannot sandbox root' };
  const blocked =
    probe.unprivilegedUsernsClone === '0'
      ? 'unprivileged user namespaces are off (kernel.unprivileged_userns_clone=0)'
      : probe.maxUserNamespaces === '0'
        ? 'user namespaces are off (user.max_user_namespaces=0)'
        : probe.apparmorRestrictsUserns === '1'
          ? 'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)'
          : null;
  if (!blocked) return { args: [] };
  const helperReady =
    probe.helper !== null && probe.helper.uid === 0 && (probe.helper.mode & 0o4755) === 0o4755;
  if (helperReady) return { args: [] };
  const quoted = shellQuote(probe.helperPath);
  if (!probe.helper) {
    return {
      unusable: `Chromium's sandbox cannot run: ${blocked}, and its helper ${probe.helperPath} is missing`,
      fix: `npm install electron, then: sudo chown root:root ${quoted} && sudo chmod 4755 ${quoted}`,
    };
  }
  return {
    unusable: `Chromium's sandbox cannot run: ${blocked}, and its helper ${probe.helperPath} is not setuid root`,
    fix: helperFix(probe.helperPath),
  };
}

// Chromium's own words when its sandbox fails at start-up (it then aborts with SIGTRAP or SIGABRT): the setuid
// helper is unconfigured, no sandbox works at all, or a container forbids the namespaces.
const SANDBOX_FAILURES = [
  /The SUID sandbox helper binary was found, but is not configured correctly/,
  /No usable sandbox!/,
  /Failed to move to new namespace/,
];

/**
 * Whether Electron's stderr says Chromium's sandbox stopped it: null, or the helper path Chromium named (null
 * when it named none).
 */
export function sandboxFailure(stderr) {
  if (!SANDBOX_FAILURES.some((pattern) => pattern.test(stderr))) return null;
  const named = /make sure that (\S+) is owned by root/.exec(stderr);
  return { helperPath: named ? named[1] : null };
}
