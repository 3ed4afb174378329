import { connectShortClient } from '../../postgres/index.js';

/** Every change-capture trigger and function created by migration 0002 starts with this. */
export const CHANGE_CAPTURE_TRIGGER_PREFIX = 'hexclave_';

/**
 * Drop the change-capture triggers so the database behaves like a self-hosted upstream Stack Auth one (inserts
 * pending by column default, nothing else captured). For tests of tools that must also work against upstream;
 * the emulator itself never does this. Returns the number of triggers dropped.
 */
export async function removeChangeCapture(url: string): Promise<number> {
  const client = await connectShortClient({ connectionString: url });
  try {
    const { rows } = await client.query<{ trigger: string; table: string }>(
      `SELECT t.tgname AS "trigger", c.relname AS "table"
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND t.tgname LIKE $1`,
      [`${CHANGE_CAPTURE_TRIGGER_PREFIX}%`],
    );
    for (const row of rows) {
      await client.query(
        `DROP TRIGGER ${client.escapeIdentifier(row.trigger)} ON ${client.escapeIdentifier(row.table)}`,
      );
    }
    return rows.length;
  } finally {
    await client.end();
  }
}
