/**
 * Shutdown from the first line. A long-running command calls `stopOnSignals()` before it starts anything; from then
 * on SIGINT, SIGTERM and SIGHUP run every registered cleanup, newest first, and exit. Whatever spawns a child
 * process or makes a temp folder registers its cleanup with `onShutdown` the moment it does (main/postgres does it
 * for every cluster, also while initdb or the postmaster is still starting), so a signal at any moment — half way
 * through startup included — leaves nothing behind.
 *
 * The registry is per thread: a worker thread gets no signals, and runs its own cleanups with `runShutdown()` when
 * its owner asks it to stop (main/workspace/runtime-worker.ts).
 */

type Cleanup = () => unknown;

const cleanups: Cleanup[] = [];
const controller = new AbortController();
let running: Promise<boolean> | null = null;
let installed = false;

/** Aborted once shutdown began: long startup steps check it between steps. */
export const shutdownSignal: AbortSignal = controller.signal;

/** Run `cleanup` on shutdown (before those registered earlier). Returns a function that unregisters it. */
export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.lastIndexOf(cleanup);
    if (index !== -1) cleanups.splice(index, 1);
  };
}

/**
 * Run every cleanup once, newest first; each is awaited and its failure does not stop the others. Resolves true
 * when all of them finished within `deadlineMs`. Later calls share the first run.
 */
export function runShutdown(deadlineMs = 30_000): Promise<boolean> {
  running ??= (async () => {
    controller.abort();
    let ok = true;
    const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), deadlineMs).unref());
    const all = (async () => {
      while (cleanups.length > 0) {
        const cleanup = cleanups.pop()!;
        try {
          await cleanup();
        } catch {
          ok = false;
        }
      }
      return ok;
    })();
    return Promise.race([all, deadline]);
  })();
  return running;
}

export interface SignalOptions {
  /** Where "Received SIGINT; stopping…" goes (stderr for the CLI). */
  readonly log?: (line: string) => void;
  /** Exit code after a clean shutdown (default 0). */
  readonly exitCode?: number;
}

/**
 * Handle SIGINT, SIGTERM and SIGHUP from now on: run the cleanups, then exit (0 when they all finished, 1 when one
 * failed or they ran past the deadline). A second signal exits at once with 1. Idempotent.
 */
export function stopOnSignals(options: SignalOptions = {}): void {
  if (installed) return;
  installed = true;
  const log = options.log ?? (() => {});
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (running) {
        log(`Received ${signal} again; exiting without waiting for a clean shutdown.`);
        process.exit(1);
      }
      log(`Received ${signal}; stopping…`);
      void runShutdown().then((clean) => {
        log(clean ? 'Stopped.' : 'Stopped, but not everything shut down cleanly.');
        process.exit(clean ? (options.exitCode ?? 0) : 1);
      });
    });
  }
}

/** Stop the way a signal would, from code (e.g. the MCP client closed stdin). */
export async function shutdownAndExit(log?: (line: string) => void, exitCode = 0): Promise<never> {
  const clean = await runShutdown();
  if (!clean) log?.('Stopped, but not everything shut down cleanly.');
  process.exit(clean ? exitCode : 1);
}

/**
 * For a command whose startup failed because a signal arrived: wait while the cleanups run; the signal handler
 * exits the process. (Exiting here with an error code would cut the cleanups short.)
 */
export async function awaitShutdown(): Promise<never> {
  await runShutdown();
  return new Promise<never>(() => {});
}
