import { describe, expect, it } from 'vitest';
import { MIRROR_TABLES } from '../../../main/mirror/index.js';
import { setupMirrorDatabase, withClient } from '../../helpers/mirror.js';

// The knowledge base, find_user and the mirror/tables resource describe the mirror from MIRROR_TABLES, which
// derives from the sync engine's SYNC_MAPPINGS; this checks it against the tables upstream's own DDL creates.

const mirror = setupMirrorDatabase({ seed: false });

describe('mirror table descriptions', () => {
  it.each(['users', 'contact_channels', 'teams', 'team_member_profiles'])(
    '%s matches the real table column for column, primary key included',
    async (name) => {
      const described = MIRROR_TABLES.find((t) => t.table === name)!;
      const actual = await withClient(mirror().url, async (client) => {
        const columns = await client.query<{
          name: string;
          type: string;
          nullable: boolean;
          default: string | null;
        }>(
          `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                  pg_get_expr(d.adbin, d.adrelid) AS default
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
          [name],
        );
        const key = await client.query<{ name: string }>(
          `SELECT a.attname AS name FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
          [name],
        );
        return { columns: columns.rows, primaryKey: key.rows.map((r) => r.name) };
      });
      expect(actual.primaryKey).toEqual(described.primaryKey);
      expect(actual.columns).toEqual(
        described.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          default: c.default ?? null,
        })),
      );
    },
  );
});
