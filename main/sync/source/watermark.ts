import type pg from 'pg';
import { GLOBAL_SEQUENCE } from '../../../shared/internal-db.js';
import type { Watermark } from '../../../shared/sync/index.js';
import { type WatermarkReading, WatermarkState } from './watermark-state.js';

// Two statements in one round trip, run in this order: the sample, then the lock holders. Readers of the sequence
// (this sample included) take AccessShareLock; nextval/setval take RowExclusiveLock until their transaction ends.
const OBSERVE = `SELECT CASE WHEN is_called THEN last_value ELSE -1 END::text AS last_value FROM ${GLOBAL_SEQUENCE};
SELECT l.virtualtransaction AS holder
FROM pg_locks l
WHERE l.locktype = 'relation'
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.relation = '${GLOBAL_SEQUENCE}'::regclass
  AND l.granted AND l.mode <> 'AccessShareLock'
  AND l.pid IS DISTINCT FROM pg_backend_pid()`;

/**
 * Runs watermark observations on its own source connection. `observe()` always returns an observation that
 * started after the call (callers arriving together share one), so a fetch issued afterwards sees every
 * committed row stamped ≤ the returned safe id.
 */
export class WatermarkTracker {
  private readonly state = new WatermarkState();
  private last: WatermarkReading = { safe: -1, head: -1, holders: 0, oldestHolderSinceMillis: null };
  private running: Promise<WatermarkReading> | null = null;
  private queued: Promise<WatermarkReading> | null = null;

  constructor(
    private client: pg.Client,
    private readonly onReading: (reading: WatermarkReading) => void = () => {},
  ) {}

  /** Continue on a new connection to the same server (after an outage). */
  setClient(client: pg.Client): void {
    this.client = client;
  }

  observe(): Promise<WatermarkReading> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = null;
          return this.observe();
        });
    }
    return this.queued;
  }

  current(): Watermark {
    return {
      safeSequenceId: this.last.safe,
      headSequenceId: this.last.head,
      holders: this.last.holders,
      oldestHolderSinceMillis: this.last.oldestHolderSinceMillis,
      method: 'sequence-locks',
    };
  }

  private async run(): Promise<WatermarkReading> {
    const results = (await this.client.query(OBSERVE)) as unknown as pg.QueryResult[];
    const lastValue = Number((results[0]!.rows[0] as { last_value: string }).last_value);
    const holders = results[1]!.rows.map((r) => String((r as { holder: string }).holder));
    const before = this.last.safe;
    this.last = this.state.record(lastValue, holders, Date.now());
    if (this.last.safe !== before || holders.length > 0) this.onReading(this.last);
    return this.last;
  }
}
