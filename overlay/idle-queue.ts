/**
 * Work the page never waits for. Analysing and reporting exchanges starts once the page's traffic has been quiet
 * for a moment (at most a second late during a long burst) and then runs only while the main thread is idle, a
 * job at a time, so the page's own requests and their continuations never queue behind the rules engine.
 */
export interface IdleQueue {
  push(job: () => void): void;
  /** Run every waiting job now: the page is going away and idle time will never come. */
  flushNow(): void;
}

const QUIET_MS = 100;
const MAX_WAIT_MS = 1_000;
const MIN_SLICE_MS = 2;

export function createIdleQueue(win: Window): IdleQueue {
  const jobs: (() => void)[] = [];
  let firstWaiting = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let draining = false;
  const idle =
    typeof win.requestIdleCallback === 'function'
      ? (run: (deadline: IdleDeadline) => void) => win.requestIdleCallback(run, { timeout: MAX_WAIT_MS })
      : (run: (deadline: IdleDeadline) => void) =>
          win.setTimeout(() => run({ didTimeout: true, timeRemaining: () => 0 }), 0);

  const drain = (deadline: IdleDeadline) => {
    // Past the deadline (a page that is never idle) one job still runs, so the queue cannot grow forever.
    do {
      const job = jobs.shift();
      if (!job) break;
      try {
        job();
      } catch (error) {
        console.error('[Hexclave dev tool] analysis failed', error);
      }
    } while (deadline.timeRemaining() > MIN_SLICE_MS);
    if (jobs.length > 0) idle(drain);
    else draining = false;
  };

  return {
    flushNow() {
      clearTimeout(timer);
      drain({ didTimeout: true, timeRemaining: () => Number.POSITIVE_INFINITY });
    },
    push(job) {
      jobs.push(job);
      if (draining) return;
      const now = performance.now();
      if (jobs.length === 1) firstWaiting = now;
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          draining = true;
          idle(drain);
        },
        Math.min(QUIET_MS, Math.max(0, firstWaiting + MAX_WAIT_MS - now)),
      );
    },
  };
}
