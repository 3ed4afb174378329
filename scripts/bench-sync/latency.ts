import pg from 'pg';

export interface LatencyResult {
  readonly samples: number[];
  /** When each sample's update was acknowledged, in ms after the sampler started (in the order of `samples`). */
  readonly startedAfterMs: number[];
  readonly missing: number;
}

export interface LatencySampler {
  /** Stop issuing updates, wait up to 10 s for the outstanding ones, and return the samples. */
  stop(): Promise<LatencyResult>;
}

/**
 * Change-to-mirror latency: single-row updates at `ratePerSecond` on the source; each sample runs from the moment
 * the UPDATE's commit is acknowledged to the moment the mirror commits the new value, observed with LISTEN on a
 * trigger the benchmark adds to its own mirror's `users` table (it fires only for the sampler's own rows, so a
 * mass update running at the same time does not flood the listener). Runs until `stop()` or `updates` samples.
 * Its set-up (connections, the trigger on the mirror) is done before `start()`, so that it does not fall inside a
 * measured phase: creating a trigger waits for the mirror's open transactions and replans their statements.
 */
export async function prepareLatencySampler(options: {
  sourceUrl: string;
  targetUrl: string;
  userIds: readonly string[];
  ratePerSecond: number;
  updates?: number;
}): Promise<{ start(): LatencySampler & { done: Promise<void> } }> {
  const source = new pg.Client({ connectionString: options.sourceUrl });
  const target = new pg.Client({ connectionString: options.targetUrl });
  await Promise.all([source.connect(), target.connect()]);
  await target.query(`CREATE OR REPLACE FUNCTION bench_notify_user() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('bench_mirror', NEW.display_name); RETURN NULL; END $$`);
  await target.query(`DROP TRIGGER IF EXISTS bench_notify_user ON users;
    CREATE TRIGGER bench_notify_user AFTER INSERT OR UPDATE ON users FOR EACH ROW
    WHEN (NEW.display_name LIKE 'latency %') EXECUTE FUNCTION bench_notify_user()`);
  const committedAt = new Map<string, number>();
  const samples: number[] = [];
  const startedAfterMs: number[] = [];
  let began = 0;
  const waiting = new Set<string>();
  // A user whose last sampled value has not reached the mirror yet is not sampled again: the mirror may skip
  // straight to the newer value (it keeps each row's latest state, not every version), and the older sample
  // would then never be seen.
  const userOf = new Map<string, string>();
  const busyUsers = new Set<string>();
  // A mirror commit seen before the source's commit acknowledgement was processed counts as ~0 ms.
  const early = new Map<string, number>();
  let settle: (() => void) | null = null;
  const record = (label: string, at: number, start: number) => {
    waiting.delete(label);
    busyUsers.delete(userOf.get(label) ?? '');
    samples.push(Math.max(0, at - start));
    startedAfterMs.push(start - began);
    if (waiting.size === 0) settle?.();
  };
  target.on('notification', (message) => {
    const label = message.payload ?? '';
    const at = performance.now();
    if (!waiting.has(label)) return;
    const start = committedAt.get(label);
    if (start === undefined) early.set(label, at);
    else record(label, at, start);
  });
  await target.query('LISTEN bench_mirror');

  let stopping = false;
  const interval = 1000 / options.ratePerSecond;
  const limit = options.updates ?? Number.POSITIVE_INFINITY;
  const run = async () => {
    const begin = performance.now();
    for (let i = 0; i < limit && !stopping; i++) {
      const due = begin + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopping) break;
      const label = `latency ${i} ${Math.random().toString(36).slice(2, 8)}`;
      const count = options.userIds.length;
      let pick = (i * 7919) % count;
      for (let step = 0; step < count && busyUsers.has(options.userIds[pick]!); step++)
        pick = (pick + 1) % count;
      const id = options.userIds[pick]!;
      if (busyUsers.has(id)) continue;
      busyUsers.add(id);
      userOf.set(label, id);
      waiting.add(label);
      await source.query(`UPDATE "ProjectUser" SET "displayName" = $2 WHERE "projectUserId" = $1`, [
        id,
        label,
      ]);
      const acknowledged = performance.now();
      committedAt.set(label, acknowledged);
      const seen = early.get(label);
      if (seen !== undefined) record(label, seen, acknowledged);
    }
  };
  const start = () => {
    began = performance.now();
    const done = run();
    return {
      done,
      async stop() {
        stopping = true;
        try {
          await done;
          if (waiting.size > 0) {
            await new Promise<void>((resolve) => {
              settle = resolve;
              setTimeout(resolve, 10_000);
            });
          }
          await target.query('DROP TRIGGER IF EXISTS bench_notify_user ON users');
          return { samples, startedAfterMs, missing: waiting.size };
        } finally {
          await Promise.allSettled([source.end(), target.end()]);
        }
      },
    };
  };
  return { start };
}

/** A fixed number of samples on an otherwise idle pipeline. */
export async function measureLatency(options: {
  sourceUrl: string;
  targetUrl: string;
  userIds: readonly string[];
  updates: number;
  ratePerSecond: number;
}): Promise<LatencyResult> {
  const sampler = (await prepareLatencySampler(options)).start();
  await sampler.done;
  return sampler.stop();
}
