import { SYNC_MAPPINGS, SYNC_METADATA_TABLE } from '../../shared/sync/index.js';

/**
 * The mirror's tables as readers see them, derived from the sync engine's mapping definitions (SYNC_MAPPINGS,
 * upstream's default Postgres mappings): the MCP server's knowledge base, find_user and the mirror/tables
 * resource all read this, so they describe exactly what the engine creates.
 */

export interface MirrorColumn {
  readonly name: string;
  /** Postgres type as `format_type` prints it. */
  readonly type: string;
  readonly nullable: boolean;
  readonly default?: string;
  readonly description?: string;
}

export interface MirrorTable {
  /** Upstream mapping id; also the `mapping_name` in `_stack_sync_metadata`. */
  readonly mapping: string;
  readonly table: string;
  /** Internal (Prisma) tables the mapping reads. */
  readonly sourceTables: readonly string[];
  readonly primaryKey: readonly string[];
  readonly columns: readonly MirrorColumn[];
  readonly notes: string;
}

export const MIRROR_TABLES: readonly MirrorTable[] = SYNC_MAPPINGS.map((mapping) => ({
  mapping: mapping.name,
  table: mapping.targetTable,
  sourceTables: mapping.requiredSourceTables,
  primaryKey: mapping.primaryKey,
  columns: mapping.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullable: !c.notNull,
    ...(c.default === undefined ? {} : { default: c.default }),
    ...(c.description === undefined ? {} : { description: c.description }),
  })),
  notes: mapping.description,
}));

/** Upstream's checkpoint table, created beside every mapping's table. */
export { SYNC_METADATA_TABLE };

export function mirrorTable(mapping: string): MirrorTable {
  const table = MIRROR_TABLES.find((t) => t.mapping === mapping);
  if (!table) throw new Error(`No mirror table for mapping "${mapping}".`);
  return table;
}
