/**
 * The queue is upstream's "OutgoingRequest" table with upstream's semantics (stack-sync.md §3): at most one
 * PENDING request per tenancy (partial unique index on "deduplicationKey"), claimed with SKIP LOCKED. Our rows
 * carry our own key prefix so we never claim (and delete) the requests a self-hosted backend's own sequencer
 * queued for its configured external databases. Their body and URL are upstream's, so if that backend's poller
 * takes one of ours it merely triggers one extra, harmless sync run there.
 */

export const QUEUE_KEY_PREFIX = 'hexclave-companion-sync-';
export const SYNC_ENGINE_PATH = '/api/latest/internal/external-db-sync/sync-engine';

/** Insert one pending request per tenancy id in `ids` (a SQL expression yielding uuid rows named tenancy_id). */
export function enqueueSql(tenancyRows: string): string {
  return `INSERT INTO "OutgoingRequest" ("id", "deduplicationKey", "qstashOptions")
  SELECT gen_random_uuid(), '${QUEUE_KEY_PREFIX}' || q.tenancy_id::text,
         jsonb_build_object('url', '${SYNC_ENGINE_PATH}', 'body', jsonb_build_object('tenancyId', q.tenancy_id::text),
                            'flowControl', jsonb_build_object('key', 'hexclave-companion-sync', 'parallelism', 1))
  FROM (SELECT DISTINCT tenancy_id FROM ${tenancyRows} WHERE tenancy_id IS NOT NULL) AS q
  ON CONFLICT ("deduplicationKey") WHERE "startedFulfillingAt" IS NULL DO NOTHING`;
}

export const OURS = `"deduplicationKey" LIKE '${QUEUE_KEY_PREFIX}%'`;

/** Claim up to $1 pending requests, oldest first; returns their ids and tenancy ids. */
export const CLAIM_SQL = `UPDATE "OutgoingRequest" SET "startedFulfillingAt" = now()
WHERE "id" IN (
  SELECT "id" FROM "OutgoingRequest"
  WHERE "startedFulfillingAt" IS NULL AND ${OURS}
  ORDER BY "createdAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
RETURNING "id", "qstashOptions"->'body'->>'tenancyId' AS tenancy_id`;

export const COMPLETE_SQL = `DELETE FROM "OutgoingRequest" WHERE "id" = ANY($1::uuid[])`;

/**
 * Requests claimed longer than $1 milliseconds ago belong to a poller that died: delete them and queue a pending
 * one in their place (unless one is already pending), in one statement.
 */
export const RECLAIM_SQL = `WITH stale AS (
  DELETE FROM "OutgoingRequest"
  WHERE "startedFulfillingAt" IS NOT NULL AND ${OURS}
    AND "startedFulfillingAt" < now() - make_interval(secs => $1::double precision / 1000)
  RETURNING ("qstashOptions"->'body'->>'tenancyId')::uuid AS tenancy_id
), requeued AS (${enqueueSql('stale')} RETURNING 1)
SELECT (SELECT count(*) FROM stale)::int AS reclaimed`;

export const QUEUE_STATS_SQL = `SELECT count(*)::int AS total,
  count(*) FILTER (WHERE "startedFulfillingAt" IS NULL)::int AS pending,
  count(*) FILTER (WHERE "startedFulfillingAt" IS NOT NULL)::int AS in_flight,
  count(*) FILTER (WHERE "startedFulfillingAt" < now() - make_interval(secs => $1::double precision / 1000))::int AS stale,
  (extract(epoch FROM min("createdAt")) * 1000)::float8 AS oldest,
  (extract(epoch FROM max("createdAt")) * 1000)::float8 AS newest,
  (extract(epoch FROM now() - min("createdAt") FILTER (WHERE "startedFulfillingAt" IS NULL)) * 1000)::float8 AS oldest_pending_age
FROM "OutgoingRequest" WHERE ${OURS}`;
