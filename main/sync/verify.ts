import { SYNC_MAPPINGS, type SyncMapping } from '../../shared/sync/index.js';
import { openClient, quoteIdent } from './pg.js';
import { fingerprintSql, liveRowsSql } from './source/fetch-sql.js';
import { inspectSource } from './source/inspect.js';

export interface MirrorVerification {
  readonly mapping: string;
  readonly sourceRows: number;
  readonly mirrorRows: number;
  readonly matches: boolean;
}

/**
 * Compare the mirror with the source's current state, mapping by mapping: every live source row, rendered as the
 * mirror should hold it, against the mirror table's rows (order-independent fingerprints, streamed by Postgres).
 * Meaningful when the source is quiet and the mirror has caught up; one tenancy per target schema.
 */
export async function verifyMirror(options: {
  readonly sourceUrl: string;
  readonly targetUrl: string;
  readonly tenancyId: string;
  readonly schema?: string;
  readonly mappings?: readonly string[];
}): Promise<MirrorVerification[]> {
  const source = await openClient(options.sourceUrl, 'verify');
  const target = await openClient(options.targetUrl, 'verify');
  try {
    const shape = await inspectSource(source);
    const selected: SyncMapping[] = shape.mappings.filter(
      (m) => !options.mappings || options.mappings.includes(m.name),
    );
    const results: MirrorVerification[] = [];
    for (const mapping of SYNC_MAPPINGS.filter((m) => selected.includes(m))) {
      const columns = mapping.columns.map((c) => c.name);
      const table = `${quoteIdent(options.schema ?? 'public')}.${quoteIdent(mapping.targetTable)}`;
      const [expected, actual] = await Promise.all([
        source.query<{ rows: string; hash: string }>(
          fingerprintSql(liveRowsSql(mapping, options.tenancyId), columns),
        ),
        target.query<{ rows: string; hash: string }>(fingerprintSql(`SELECT * FROM ${table}`, columns)),
      ]);
      const e = expected.rows[0]!;
      const a = actual.rows[0]!;
      results.push({
        mapping: mapping.name,
        sourceRows: Number(e.rows),
        mirrorRows: Number(a.rows),
        matches: e.rows === a.rows && e.hash === a.hash,
      });
    }
    return results;
  } finally {
    await Promise.allSettled([source.end(), target.end()]);
  }
}
