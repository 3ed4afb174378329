import { beforeAll, describe, expect, it } from 'vitest';
import { type SyncEngine, type SyncEvent, SyncStatusSchema } from '../../../main/sync/index.js';
import {
  engineFor,
  type InternalDb,
  insertUser,
  internalDatabase,
  mirrorDatabase,
  mirrorRows,
} from './helpers.js';

// The queue (upstream's OutgoingRequest semantics), the fusebox and the status snapshot.
let source: InternalDb;
let mirror: Awaited<ReturnType<typeof mirrorDatabase>>;
let engine: SyncEngine;
const events: SyncEvent[] = [];

const requests = async () =>
  (
    await source.sql.query<{ key: string; started: boolean; body: unknown; url: string }>(
      `SELECT "deduplicationKey" AS key, "startedFulfillingAt" IS NOT NULL AS started,
              "qstashOptions"->'body' AS body, "qstashOptions"->>'url' AS url
       FROM "OutgoingRequest" ORDER BY "createdAt"`,
    )
  ).rows;

const inMirror = async (id: string) =>
  (await mirrorRows(mirror, 'SELECT 1 FROM users WHERE id = $1', [id])).length === 1;

beforeAll(async () => {
  // The queue and the sequencer's stages: written as upstream's backend writes, so every change waits for a stamp.
  source = await internalDatabase('sync_pipeline_src', { deferStamps: true });
  mirror = await mirrorDatabase('sync_pipeline_dst');
  engine = await engineFor(source.url, [mirror.url], {
    tuning: { staleClaimMs: 1000 },
    onEvent: (e) => events.push(e),
  });
});

describe('queue, fusebox and status', () => {
  it('queues at most one pending request per tenancy while the poller is off', async () => {
    engine.setStage('poller', false);
    for (let i = 0; i < 5; i++) await insertUser(source, `queued ${i}`);
    await expect.poll(async () => (await requests()).length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await requests()).toEqual([
      {
        key: `hexclave-companion-sync-${source.project.tenancyId}`,
        started: false,
        body: { tenancyId: source.project.tenancyId },
        url: '/api/latest/internal/external-db-sync/sync-engine',
      },
    ]);
    engine.setStage('poller', true);
    await expect.poll(requests).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'stage', stage: 'poller', enabled: false }),
    );
  });

  it('reclaims a request claimed by a poller that died, and serves it', async () => {
    engine.setStage('sequencer', false);
    const id = await insertUser(source, 'orphaned request');
    // Stamp and queue as a sequencer would, then claim it "two minutes ago" as a crashed poller would have.
    await source.sql.query(
      `UPDATE "ProjectUser" SET "sequenceId" = nextval('global_seq_id'), "shouldUpdateSequenceId" = FALSE WHERE "projectUserId" = $1`,
      [id],
    );
    engine.setStage('poller', false);
    await source.sql.query(
      `INSERT INTO "OutgoingRequest" ("deduplicationKey", "qstashOptions", "startedFulfillingAt")
       VALUES ($1, jsonb_build_object('url', '/api/latest/internal/external-db-sync/sync-engine', 'body', jsonb_build_object('tenancyId', $2::text)),
               now() - interval '2 minutes')`,
      [`hexclave-companion-sync-${source.project.tenancyId}`, source.project.tenancyId],
    );
    engine.setStage('poller', true);
    await expect.poll(requests, { timeout: 10_000 }).toEqual([]);
    await expect.poll(() => inMirror(id)).toBe(true);
    expect(engine.status().queue?.reclaimed).toBeGreaterThanOrEqual(1);
    engine.setStage('sequencer', true);
  });

  it('never claims requests that are not ours (a self-hosted backend’s own sync requests)', async () => {
    await source.sql.query(
      `INSERT INTO "OutgoingRequest" ("deduplicationKey", "qstashOptions")
       VALUES ($1, jsonb_build_object('url', '/api/latest/internal/external-db-sync/sync-engine', 'body', jsonb_build_object('tenancyId', $2::text)))`,
      [`sentinel-sync-key-${source.project.tenancyId}`, source.project.tenancyId],
    );
    await insertUser(source, 'next to a foreign request');
    await engine.syncNow();
    expect((await requests()).map((r) => [r.key, r.started])).toEqual([
      [`sentinel-sync-key-${source.project.tenancyId}`, false],
    ]);
    await source.sql.query(
      `DELETE FROM "OutgoingRequest" WHERE "deduplicationKey" LIKE 'sentinel-sync-key-%'`,
    );
  });

  it('pauses each stage without losing work', async () => {
    engine.setStage('sequencer', false);
    const id = await insertUser(source, 'paused');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await inMirror(id)).toBe(false);
    const flagged = await source.sql.query(
      `SELECT "shouldUpdateSequenceId" AS f FROM "ProjectUser" WHERE "projectUserId" = $1`,
      [id],
    );
    expect(flagged.rows[0].f).toBe(true);
    engine.setStage('sequencer', true);
    await expect.poll(() => inMirror(id)).toBe(true);
    expect(engine.status().fusebox).toEqual({ sequencer: true, poller: true, workers: true });
  });

  it('reports a snapshot in upstream’s vocabulary that validates against the shared schema', async () => {
    await insertUser(source, 'for the status', 'status@example.com');
    await engine.syncNow();
    // Stats refresh on their own interval: the snapshot converges to "nothing left".
    await expect
      .poll(() => engine.status().targets[0]!.mappings.find((m) => m.mapping === 'users'), {
        timeout: 10_000,
      })
      .toMatchObject({ backlogIds: 0, backlogRows: 0, pendingSequencerRows: 0 });
    // Per-table totals scan whole tables: they refresh less often than the rest (at most every fifth round).
    await expect
      .poll(
        () => {
          const users = engine.status().sequencer?.tables.project_users;
          return (
            users && { pending: users.pending, nullSequenceId: users.nullSequenceId, seen: users.total > 5 }
          );
        },
        { timeout: 10_000 },
      )
      .toEqual({ pending: 0, nullSequenceId: 0, seen: true });
    const status = SyncStatusSchema.parse(engine.status());
    expect(status.state).toBe('running');
    expect(status.source).toMatchObject({
      kind: 'database',
      changeCapture: 'triggers',
      scopes: [source.project.tenancyId],
    });
    expect(status.source.connection).toContain('*****');
    expect(status.source.watermark!.safeSequenceId).toBeGreaterThan(0);
    expect(status.sequencer!.tables.project_users).toMatchObject({ pending: 0, nullSequenceId: 0 });
    expect(status.sequencer!.tables.project_users!.total).toBeGreaterThan(5);
    expect(status.queue).toMatchObject({ pending: 0, inFlight: 0, stale: 0 });
    const users = status.targets[0]!.mappings.find((m) => m.mapping === 'users')!;
    expect(users.lastSyncedSequenceId).toBeGreaterThanOrEqual(users.internalMaxSequenceId!);
    expect(users).toMatchObject({ backlogIds: 0, backlogRows: 0, pendingSequencerRows: 0, lastError: null });
    expect(users.rowsApplied).toBeGreaterThan(5);
    expect(users.lag.samples).toBeGreaterThan(0);
    expect(users.lag.p50Ms).not.toBeNull();
    const kinds = new Set(events.map((e) => e.type));
    for (const kind of ['batch', 'lag', 'sequencer', 'backlog', 'watermark', 'stage'])
      expect(kinds).toContain(kind);
  });
});
