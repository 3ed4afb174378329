import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Worker {
  readonly child: ChildProcess;
  /** The next JSON line the worker writes. */
  next(): Promise<Record<string, unknown>>;
  send(command: 'sync' | 'stop'): void;
}

function startWorker(sourceUrl: string, targetUrl: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, sourceUrl, targetUrl], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`scale-out worker exited with ${code}`))),
  );
  exited.catch(() => {});
  return {
    child,
    next: () =>
      Promise.race([
        new Promise<string>((resolve) => {
          const line = lines.shift();
          if (line !== undefined) resolve(line);
          else waiters.push(resolve);
        }),
        exited,
      ]).then((line) => JSON.parse(line) as Record<string, unknown>),
    send: (command) => child.stdin!.write(`${command}\n`),
  };
}

export interface ScaleOutRun {
  readonly processes: number;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSec: number;
  /** Rows each process applied itself (they add up to the rows that changed, give or take re-checks). */
  readonly rowsPerProcess: number[];
  readonly peakRssMbPerProcess: number[];
}

/**
 * `processes` sync processes (separate Node processes, each its own engine) on one source and one target: after
 * they are idle, edit every user in one statement and time until each of them reports the mirror caught up.
 */
export async function scaleOutRun(options: {
  processes: number;
  sourceUrl: string;
  targetUrl: string;
  source: pg.Client;
  tenancyId: string;
  users: number;
  label: string;
}): Promise<ScaleOutRun> {
  const workers = Array.from({ length: options.processes }, () =>
    startWorker(options.sourceUrl, options.targetUrl),
  );
  try {
    await Promise.all(workers.map((w) => w.next()));
    await options.source.query(
      `UPDATE "ProjectUser" SET "displayName" = "displayName" || $2 WHERE "tenancyId" = $1`,
      [options.tenancyId, ` (${options.label})`],
    );
    const started = performance.now();
    for (const worker of workers) worker.send('sync');
    const replies = await Promise.all(workers.map((w) => w.next()));
    const seconds = (performance.now() - started) / 1000;
    for (const worker of workers) worker.send('stop');
    await Promise.all(workers.map((w) => w.next()));
    return {
      processes: options.processes,
      rows: options.users,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSec: Math.round(options.users / seconds),
      rowsPerProcess: replies.map((r) => Number(r.rows)),
      peakRssMbPerProcess: replies.map((r) => Number(r.peakRssMb)),
    };
  } finally {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  }
}
