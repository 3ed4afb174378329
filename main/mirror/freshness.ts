import { inReadOnlyTransaction, type MirrorSettings, withMirrorSession } from './connection.js';
import { SYNC_METADATA_TABLE } from './tables.js';

export interface MappingCheckpoint {
  readonly mapping: string;
  readonly lastSyncedSequenceId: string;
  /** When the checkpoint last moved, as the mirror's clock printed it (timestamp without time zone). */
  readonly updatedAt: string;
}

export interface MirrorFreshness {
  /** False when the mirror has no `_stack_sync_metadata` table yet (nothing has synced into it). */
  readonly synced: boolean;
  readonly checkpoints: readonly MappingCheckpoint[];
}

/** Upstream's per-mapping checkpoints (`_stack_sync_metadata`), the freshness any sync engine leaves behind. */
export async function readMirrorFreshness(settings: MirrorSettings): Promise<MirrorFreshness> {
  return withMirrorSession(settings, (session) =>
    inReadOnlyTransaction(session, settings, async () => {
      const { client } = session;
      const exists = await client.query<{ found: string | null }>(
        "SELECT to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1))::text AS found",
        [SYNC_METADATA_TABLE],
      );
      if (exists.rows[0]?.found == null) return { synced: false, checkpoints: [] };
      const rows = await client.query<{ mapping_name: string; last: string; updated_at: string }>(
        `SELECT mapping_name, last_synced_sequence_id::text AS last, updated_at
           FROM ${client.escapeIdentifier(SYNC_METADATA_TABLE)} ORDER BY mapping_name`,
      );
      return {
        synced: rows.rows.length > 0,
        checkpoints: rows.rows.map((r) => ({
          mapping: r.mapping_name,
          lastSyncedSequenceId: r.last,
          updatedAt: r.updated_at,
        })),
      };
    }),
  );
}
