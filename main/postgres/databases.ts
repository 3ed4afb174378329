import { connectShortClient } from './short-client.js';

/** Create `database` on the server behind `adminUrl` unless it exists; returns its URL. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<string> {
  const client = await connectShortClient({ connectionString: adminUrl });
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Drop `database`, terminating its connections first. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = await connectShortClient({ connectionString: adminUrl });
  try {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      database,
    ]);
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Take the default CONNECT and TEMPORARY rights away from PUBLIC on every database of a cluster we own, so a login
 * role reaches only the databases it was granted (the mirror reader: the mirror, not the emulator's internal data).
 */
export async function closeDatabasesToPublic(adminUrl: string): Promise<void> {
  const client = await connectShortClient({ connectionString: adminUrl });
  try {
    const databases = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname',
    );
    for (const { datname } of databases.rows) {
      await client.query(
        `REVOKE CONNECT, TEMPORARY ON DATABASE ${client.escapeIdentifier(datname)} FROM PUBLIC`,
      );
    }
  } finally {
    await client.end();
  }
}
