/** Sleeps that `wake()` can cut short (when wakeable) and that always end once `signal` aborts (stop). */
export class Sleeper {
  private wakeCurrent: (() => void) | null = null;

  constructor(private readonly signal: AbortSignal) {}

  sleep(ms: number, wakeable = true): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const signal = this.signal;
      const timer = setTimeout(finish, ms);
      signal.addEventListener('abort', finish, { once: true });
      function finish() {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        resolve();
      }
      this.wakeCurrent = wakeable ? finish : null;
    });
  }

  wake(): void {
    const wake = this.wakeCurrent;
    this.wakeCurrent = null;
    wake?.();
  }
}
