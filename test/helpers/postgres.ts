import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { dropDatabase, ensureDatabase } from '../../main/postgres/index.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
}

/** A fresh, uniquely named database on the run's Postgres server; dropped by `drop`. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(adminUrl, name);
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}

/** Per-file database: created before the file's tests, dropped after them. */
export function useTestDatabase(label?: string): () => TestDatabase {
  let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(label);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db)
      throw new Error('useTestDatabase(): the database is created in beforeAll; read it inside a test.');
    return db;
  };
}

export function adminUrl(): string {
  return inject('postgresAdminUrl');
}
