import type { Queryable } from '../../db/index.js';
import { isUuid, USER_SELECT } from './queries.js';
import type { UserRecord } from './record.js';

export interface ListUsersOptions {
  readonly limit?: number;
  readonly cursor?: string;
  readonly desc: boolean;
  readonly query?: string;
  readonly teamId?: string;
  readonly includeAnonymous: boolean;
  readonly onlyAnonymous: boolean;
  readonly includeRestricted: boolean;
}

const SORT_KEY = 'COALESCE(pu."signedUpAt", pu."createdAt")';

/**
 * Upstream's list semantics: sorted by sign-up time then id; the cursor is the id of the first item of the page
 * (inclusive); `limit + 1` rows are read so the extra one becomes `next_cursor`.
 */
export async function listUsers(
  db: Queryable,
  tenancyId: string,
  options: ListUsersOptions,
): Promise<{ items: UserRecord[]; nextCursor: string | null }> {
  const values: unknown[] = [tenancyId];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = ['pu."tenancyId" = $1'];
  if (options.onlyAnonymous) where.push('pu."isAnonymous"');
  else if (!options.includeAnonymous) where.push('NOT pu."isAnonymous"');
  if (!options.includeRestricted && !options.includeAnonymous) where.push('NOT pu."restrictedByAdmin"');
  if (options.teamId) {
    where.push(
      `EXISTS (SELECT 1 FROM "TeamMember" tm WHERE tm."tenancyId" = pu."tenancyId" AND tm."projectUserId" = pu."projectUserId" AND tm."teamId" = ${param(options.teamId)})`,
    );
  }
  if (options.query) {
    const needle = param(options.query.toLowerCase());
    const idSearch = options.query.replace(/[^a-zA-Z0-9\-_.]/g, '');
    where.push(`(
      ${isUuid(idSearch) ? `pu."projectUserId" = ${param(idSearch)} OR` : ''}
      position(${needle} in lower(COALESCE(pu."displayName", ''))) > 0
      OR EXISTS (SELECT 1 FROM "ContactChannel" q WHERE q."tenancyId" = pu."tenancyId"
                 AND q."projectUserId" = pu."projectUserId" AND position(${needle} in lower(q."value")) > 0))`);
  }
  const direction = options.desc ? 'DESC' : 'ASC';
  if (options.cursor) {
    const cursor = param(options.cursor);
    where.push(`(${SORT_KEY}, pu."projectUserId") ${options.desc ? '<=' : '>='} (
      SELECT COALESCE(c."signedUpAt", c."createdAt"), c."projectUserId" FROM "ProjectUser" c
      WHERE c."tenancyId" = $1 AND c."projectUserId" = ${cursor})`);
  }
  const limit = options.limit === undefined ? '' : `LIMIT ${param(options.limit + 1)}`;
  const { rows } = await db.query<UserRecord>(
    `${USER_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${SORT_KEY} ${direction}, pu."projectUserId" ${direction} ${limit}`,
    values,
  );
  if (options.limit !== undefined && rows.length > options.limit) {
    return { items: rows.slice(0, options.limit), nextCursor: rows[options.limit]!.id };
  }
  return { items: rows, nextCursor: null };
}
