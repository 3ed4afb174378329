import type pg from 'pg';
import { SYNC_METADATA_TABLE, syncMapping } from '../../../shared/sync/index.js';
import { quoteIdent } from '../pg.js';
import { PROGRESS_TABLE } from '../target/schema.js';
import type { MirrorUserRow } from './users-api.js';

const USERS = syncMapping('users');
const STAGE = 'pg_temp."_hexclave_api_users"';

/**
 * Reconciles the `users` mirror table with a full listing of the API: pages are staged as they arrive (memory
 * stays one page), then ONE transaction upserts changed users and deletes users the listing no longer has.
 */
export class UsersReconciler {
  private staged = false;

  constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
    private readonly scope: string,
  ) {}

  async begin(): Promise<void> {
    if (!this.staged) {
      const columns = USERS.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
      await this.client.query(`CREATE TEMP TABLE IF NOT EXISTS "_hexclave_api_users" (${columns})`);
      this.staged = true;
    }
    await this.client.query(`TRUNCATE ${STAGE}`);
  }

  async stage(rows: readonly MirrorUserRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.query(
      `INSERT INTO ${STAGE} SELECT * FROM jsonb_populate_recordset(NULL::${STAGE}, $1::jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /** Apply the complete listing; returns how many rows changed. Only call after every page arrived. */
  async commit(): Promise<{ upserted: number; deleted: number }> {
    const q = (table: string) => `${quoteIdent(this.schema)}.${quoteIdent(table)}`;
    const columns = USERS.columns.map((c) => quoteIdent(c.name));
    const updatable = columns.filter((c) => c !== '"id"');
    const scope = this.client.escapeLiteral(this.scope);
    await this.client.query('BEGIN');
    try {
      await this.client.query(
        `INSERT INTO ${q(PROGRESS_TABLE)} (scope, mapping_name) VALUES (${scope}, 'users') ON CONFLICT DO NOTHING`,
      );
      // Serialises two reconcilers of the same project on this target.
      await this.client.query(
        `SELECT 1 FROM ${q(PROGRESS_TABLE)} WHERE scope = ${scope} AND mapping_name = 'users' FOR UPDATE`,
      );
      const { rows } = await this.client.query<{ upserted: number; deleted: number }>(
        `WITH listing AS (SELECT DISTINCT ON ("id") * FROM ${STAGE} ORDER BY "id"),
        deleted AS (
          DELETE FROM ${q('users')} AS t WHERE NOT EXISTS (SELECT 1 FROM listing WHERE listing."id" = t."id") RETURNING 1
        ), upserted AS (
          INSERT INTO ${q('users')} AS t (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM listing
          ON CONFLICT ("id") DO UPDATE SET ${updatable.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
          WHERE (${updatable.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${c}`).join(', ')})
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM upserted)::int AS upserted, (SELECT count(*) FROM deleted)::int AS deleted`,
      );
      const changed = rows[0]!;
      await this.client.query(
        `UPDATE ${q(PROGRESS_TABLE)} SET rows_applied = rows_applied + $1, updated_at = now()
         WHERE scope = ${scope} AND mapping_name = 'users'`,
        [changed.upserted + changed.deleted],
      );
      // An API listing has no sequence ids: the checkpoint stays as it is, updated_at records the reconcile.
      await this.client.query(
        `INSERT INTO ${q(SYNC_METADATA_TABLE)} (mapping_name) VALUES ('users')
         ON CONFLICT (mapping_name) DO UPDATE SET updated_at = now()`,
      );
      await this.client.query('COMMIT');
      return changed;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }
}
