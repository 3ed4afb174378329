import { type SyncMapping, tombstoneUuid } from '../../../shared/sync/index.js';
import { freshRowsJsonSql } from '../source/fetch-sql.js';
import type { ApplierDeps } from './applier.js';
import { freshUpsertSql, stageJsonSql } from './merge-sql.js';

/**
 * Rows a change notification named (the emulator's triggers name up to 16 rows per statement): key columns of the
 * source table, without "tenancyId", and one value list per row.
 */
export interface FreshKeys {
  readonly columns: readonly string[];
  readonly keys: readonly (readonly string[])[];
}

/** Hands over the keys named for one (scope, mapping) since the last call; null when there are none. */
export interface FreshSource {
  take(): FreshKeys | null;
}

/**
 * Fresh rows ride along with the page in progress, so that a single change made while a large backlog is worked
 * off (a mass update, a first sync) reaches the mirror within about one page instead of behind the whole backlog.
 * They are read from the source AFTER the page (and under the page's lock on its progress row), so they are at
 * least as new as anything the page holds, and they win over its rows of the same key. They move no checkpoint:
 * the same rows come again, unchanged, with their sequence ids.
 */
export async function readFresh(
  deps: ApplierDeps,
  mapping: SyncMapping,
  scope: string,
  fresh: FreshKeys,
): Promise<string> {
  const { rows } = await deps.sourcePool.query<{ rows: string }>({
    name: `hexclave_sync_fresh_${mapping.name}_${fresh.columns.join('_')}`,
    text: freshRowsJsonSql(mapping, fresh.columns),
    values: [
      scope,
      JSON.stringify(fresh.keys.map((k) => Object.fromEntries(fresh.columns.map((c, i) => [c, k[i]])))),
    ],
  });
  return rows[0]!.rows;
}

/** Before the merge: stage fresh rows beside the page's (the merge lets them win). */
export async function stageFresh(deps: ApplierDeps, mapping: SyncMapping, rowsJson: string): Promise<void> {
  await deps.target.query({
    name: `hexclave_sync_stage_${mapping.name}`,
    text: stageJsonSql(mapping),
    values: [rowsJson, true],
  });
}

/**
 * After the merge, or on their own: upsert fresh rows. How many rows of the mirror changed, and the transaction id
 * the mapping's progress row carries afterwards.
 */
export async function upsertFresh(
  deps: ApplierDeps,
  mapping: SyncMapping,
  scope: string,
  rowsJson: string,
): Promise<{ upserted: number; progressXid: string | null }> {
  const { rows } = await deps.target.query<{ upserted: number; progress_xid: string | null }>({
    name: `hexclave_sync_fresh_upsert_${mapping.name}`,
    text: freshUpsertSql(mapping, deps.schema),
    values: [rowsJson, scope],
  });
  return { upserted: rows[0]!.upserted, progressXid: rows[0]!.progress_xid };
}

const keyId = (key: readonly string[]) => key.join('\u0000');

/** Merge two sets of keys named for the same mapping (same columns), without duplicates. */
export function mergeFreshKeys(a: FreshKeys | undefined, b: FreshKeys): FreshKeys {
  if (!a) return b;
  const seen = new Set(a.keys.map(keyId));
  return { columns: a.columns, keys: [...a.keys, ...b.keys.filter((k) => !seen.has(keyId(k)))] };
}

/** The keys of `keys` that are not in `some`; null when none is left. */
export function freshKeysWithout(keys: FreshKeys, some: FreshKeys | null): FreshKeys | null {
  const taken = new Set(some?.keys.map(keyId));
  const rest = keys.keys.filter((key) => !taken.has(keyId(key)));
  return rest.length > 0 ? { columns: keys.columns, keys: rest } : null;
}

/** The keys of `keys` that are also in `some`; null when none is. */
export function freshKeysAlsoIn(keys: FreshKeys, some: FreshKeys | null): FreshKeys | null {
  const wanted = new Set(some?.keys.map(keyId));
  const shared = keys.keys.filter((key) => wanted.has(keyId(key)));
  return shared.length > 0 ? { columns: keys.columns, keys: shared } : null;
}

/**
 * The keys of `touched` that a page staged ahead may hold a row of, judged from the page's COPY text: a key whose
 * values do not all occur in it has no live row and no tombstone there. That takes a mapping whose target key carries
 * each source key column unchanged, as a uuid (lower-case in COPY's text, as notifications name it), in live rows and
 * tombstones alike; for any other mapping every key may be there. Null when none is.
 */
export function keysMaybeInPage(
  mapping: SyncMapping,
  touched: FreshKeys,
  pageText: Buffer,
): FreshKeys | null {
  const carried = touched.columns.every((column) =>
    mapping.primaryKey.some(
      (target) =>
        mapping.columns.find((c) => c.name === target)?.type === 'uuid' &&
        mapping.source.liveColumns[target] === `src."${column}"` &&
        mapping.source.tombstoneKey[target] === tombstoneUuid(column),
    ),
  );
  if (!carried) return touched;
  const keys = touched.keys.filter((key) => key.every((value) => pageText.includes(value.toLowerCase())));
  return keys.length > 0 ? { columns: touched.columns, keys } : null;
}
