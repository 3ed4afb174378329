import type pg from 'pg';

/** Anything with pg's `query` (Pool, Client, PoolClient). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}
