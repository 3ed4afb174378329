// `npm start`: the desktop app where Electron can run, otherwise the same UI served to a browser (and why).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';
import { electronBinary, hasDisplay } from './electron-binary.mjs';
import { helperFix, probeLinuxSandbox, sandboxFailure, sandboxPlan } from './electron-sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = electronBinary();
const extraArgs = process.argv.slice(2);
/** `npm start -- --no-sandbox`: the developer chose to run Chromium unsandboxed; only Electron understands it. */
const NO_SANDBOX = '--no-sandbox';
const sandboxWaived = extraArgs.includes(NO_SANDBOX);
const say = (line) => console.error(`[hexclave-companion] ${line}`);

let child = null;
/** The signal this script passed on: the exit that follows is what was asked for, not a failure to fall back from. */
let forwarded = null;
let forwardedAt = 0;
/** A second copy of one Ctrl+C (from npm, which passes signals on too) within this long is the same one. */
const SAME_SIGNAL_MS = 1_000;
// The child runs in a process group of its own, so a Ctrl+C reaches it once, from here: delivered twice (by the
// terminal to the whole group, and again by this script) it would read as "stop now, skip the clean shutdown".
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      process.exit(128 + constants.signals[signal]);
    }
    const now = Date.now();
    if (forwarded === signal && now - forwardedAt < SAME_SIGNAL_MS) return;
    forwarded = signal;
    forwardedAt = now;
    child.kill(signal);
  });
}

/**
 * Runs `command` in the foreground; its exit is ours, and a death by signal is never a success. `stderr` is
 * handed each chunk the child writes (still shown) when given; `fallBack` may take over a failed exit.
 */
function run(command, args, { name, stderr, fallBack } = {}) {
  forwarded = null;
  child = spawn(command, args, {
    cwd: root,
    stdio: ['inherit', 'inherit', stderr ? 'pipe' : 'inherit'],
    // Windows has no process groups to keep apart (and `detached` there means a console of its own).
    detached: process.platform !== 'win32',
  });
  child.stderr?.on('data', (chunk) => {
    process.stderr.write(chunk);
    stderr(chunk);
  });
  child.on('error', (error) => {
    say(`${name} could not start: ${error.message}`);
    process.exit(1);
  });
  // 'close', not 'exit': everything the child wrote has been read by then.
  child.on('close', (code, signal) => {
    if ((signal || code !== 0) && !forwarded && fallBack?.()) return;
    if (signal) {
      say(`${name} was ended by ${signal}.`);
      process.exit(128 + (constants.signals[signal] ?? 1));
    }
    process.exit(code ?? 1);
  });
}

function serve(reason) {
  say(`Electron cannot start: ${reason}. Serving the same UI in your browser instead.`);
  run(
    process.execPath,
    [join(root, 'bin', 'hexclave-companion.js'), 'serve', ...extraArgs.filter((a) => a !== NO_SANDBOX)],
    {
      name: 'The server',
    },
  );
}

// Everything the app needs (main, preloads, UI, in-page overlay) is built here, before it starts: the app itself
// never builds anything. Only what changed since the last build is rebuilt.
try {
  await buildAll({ log: (line) => console.error(`[build] ${line}`) });
} catch (error) {
  say(`The build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

if (!('path' in binary)) serve(binary.missing);
else if (!hasDisplay()) serve('no display is available (DISPLAY is unset)');
else {
  const probe = process.platform === 'linux' && !sandboxWaived ? probeLinuxSandbox(binary.path) : null;
  const plan = probe ? sandboxPlan(probe) : { args: [] };
  if ('unusable' in plan) {
    serve(plan.unusable);
    say(`To use the desktop app, run once:\n\n    ${plan.fix}\n`);
  } else {
    // Chromium aborts when its sandbox fails in a way the checks above cannot see (a container, a kernel policy):
    // it says so on stderr, and the browser UI takes over with the fix.
    let tail = '';
    const helperPath = probe?.helperPath ?? join(dirname(binary.path), 'chrome-sandbox');
    run(binary.path, [root, ...plan.args, ...extraArgs], {
      name: 'Electron',
      stderr: (chunk) => {
        tail = (tail + chunk).slice(-16_384);
      },
      fallBack: () => {
        const failure = sandboxFailure(tail);
        if (!failure) return false;
        serve(`Chromium's sandbox stopped Electron (${child.signalCode ?? `exit code ${child.exitCode}`})`);
        say(`To use the desktop app, run once:\n\n    ${helperFix(failure.helperPath ?? helperPath)}\n`);
        return true;
      },
    });
  }
}
