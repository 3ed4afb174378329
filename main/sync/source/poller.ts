import type pg from 'pg';
import { CLAIM_SQL, COMPLETE_SQL, RECLAIM_SQL } from './queue-sql.js';

/** Claims per poll; upstream's STACK_EXTERNAL_DB_SYNC_POLL_CLAIM_LIMIT default. */
const CLAIM_LIMIT = 1000;

/**
 * The poller over "OutgoingRequest": reclaim requests whose claimer died, claim pending ones (SKIP LOCKED), hand
 * their tenancies over, then delete them. The hand-over is in-process, so a request is claimed only for as long as
 * it takes to queue its tenancy on every target.
 */
export class Poller {
  reclaimed = 0;
  private lastReclaimAt = 0;

  constructor(private readonly staleClaimMs: number) {}

  async poll(client: pg.Client, dispatch: (tenancyIds: string[]) => void): Promise<void> {
    if (Date.now() - this.lastReclaimAt > Math.min(this.staleClaimMs, 5000)) {
      this.lastReclaimAt = Date.now();
      const { rows } = await client.query<{ reclaimed: number }>(RECLAIM_SQL, [this.staleClaimMs]);
      this.reclaimed += rows[0]?.reclaimed ?? 0;
    }
    const claimed = await client.query<{ id: string; tenancy_id: string | null }>(CLAIM_SQL, [CLAIM_LIMIT]);
    if (claimed.rows.length === 0) return;
    dispatch(claimed.rows.flatMap((r) => (r.tenancy_id ? [r.tenancy_id] : [])));
    await client.query(COMPLETE_SQL, [claimed.rows.map((r) => r.id)]);
  }
}
