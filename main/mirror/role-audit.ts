import type pg from 'pg';
import { MirrorQueryError } from './errors.js';
import { freshReaderPassword, MIRROR_READER_ROLE, readerRoleStatements, readerUrl } from './reader-role.js';

/**
 * Predefined roles that reach past the mirror: server files and programs, other sessions, every setting or every
 * table of the database. A member of any of them is not a reader.
 */
const REACHING_ROLES = [
  'pg_read_server_files',
  'pg_write_server_files',
  'pg_execute_server_program',
  'pg_signal_backend',
  'pg_read_all_settings',
  'pg_read_all_stats',
  'pg_stat_scan_tables',
  'pg_monitor',
  'pg_read_all_data',
  'pg_write_all_data',
  'pg_checkpoint',
  'pg_create_subscription',
  'pg_maintain',
];

/** Server-side file functions (revoked from PUBLIC by default; a GRANT EXECUTE would open them again). */
const FILE_FUNCTIONS = [
  'pg_catalog.pg_read_file(text)',
  'pg_catalog.pg_read_binary_file(text)',
  'pg_catalog.pg_ls_dir(text)',
  'pg_catalog.pg_stat_file(text)',
  'pg_catalog.lo_import(text)',
  'pg_catalog.lo_export(oid, text)',
];

export interface RoleAudit {
  readonly role: string;
  readonly database: string;
  /** Why this role is more than a reader; empty for a proper read-only role. */
  readonly problems: readonly string[];
}

const AUDIT_SQL = `
SELECT current_user AS role, current_database() AS database,
       r.rolsuper AS superuser, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb,
       r.rolreplication AS replication, r.rolbypassrls AS bypassrls,
       ARRAY(SELECT p.rolname::text FROM pg_roles p
              WHERE p.rolname = ANY($2::text[]) AND pg_has_role(current_user, p.oid, 'MEMBER')
              ORDER BY 1) AS memberships,
       ARRAY(SELECT f FROM unnest($3::text[]) AS f
              WHERE to_regprocedure(f) IS NOT NULL AND has_function_privilege(to_regprocedure(f)::oid, 'EXECUTE')
              ORDER BY 1) AS functions,
       has_table_privilege('pg_catalog.pg_authid', 'SELECT') AS reads_authid,
       ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
                AND (pg_has_role(current_user, c.relowner, 'MEMBER')
                     OR has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
              ORDER BY 1) AS writable,
       coalesce((SELECT pg_has_role(current_user, n.nspowner, 'MEMBER') FROM pg_namespace n WHERE n.nspname = $1),
                false) AS owns_schema
  FROM pg_roles r WHERE r.rolname = current_user`;

interface AuditRow {
  role: string;
  database: string;
  superuser: boolean;
  createrole: boolean;
  createdb: boolean;
  replication: boolean;
  bypassrls: boolean;
  memberships: string[];
  functions: string[];
  reads_authid: boolean;
  writable: string[];
  owns_schema: boolean;
}

function listed(names: readonly string[], max = 5): string {
  return names.length > max
    ? `${names.slice(0, max).join(', ')} and ${names.length - max} more`
    : names.join(', ');
}

/** What the connected role can do beyond reading the mirror schema's tables. */
export async function auditMirrorRole(client: pg.Client, schema: string): Promise<RoleAudit> {
  const result = await client.query<AuditRow>(AUDIT_SQL, [schema, REACHING_ROLES, FILE_FUNCTIONS]);
  const row = result.rows[0];
  if (!row) return { role: '?', database: '?', problems: ['its role could not be found in pg_roles'] };
  // A superuser can do everything below; naming that one fact is the clearest answer.
  if (row.superuser) return { role: row.role, database: row.database, problems: ['it is a superuser'] };
  const problems: string[] = [];
  if (row.createrole) problems.push('it can create roles (CREATEROLE)');
  if (row.createdb) problems.push('it can create databases (CREATEDB)');
  if (row.replication) problems.push('it has REPLICATION');
  if (row.bypassrls) problems.push('it bypasses row-level security');
  if (row.memberships.length > 0) problems.push(`it is a member of ${listed(row.memberships)}`);
  if (row.functions.length > 0) problems.push(`it may run ${listed(row.functions)}`);
  if (row.reads_authid) problems.push('it can read pg_authid (password hashes)');
  if (row.writable.length > 0) {
    problems.push(`it can write or owns mirror tables (${listed(row.writable)})`);
  }
  if (row.owns_schema) problems.push(`it owns the schema "${schema}"`);
  return { role: row.role, database: row.database, problems };
}

/**
 * The refusal a read-only surface gives for a role that is more than a reader: what is wrong, the exact statements
 * that create a proper reader (with a fresh password), its URL, and the companion's ways of doing it for you.
 */
export function privilegedRoleError(
  audit: RoleAudit,
  settings: { readonly url: string; readonly schema: string },
): MirrorQueryError {
  const password = freshReaderPassword();
  const statements = readerRoleStatements({
    role: MIRROR_READER_ROLE,
    password,
    database: audit.database,
    schema: settings.schema,
    tableOwner: audit.role,
  });
  let url = '';
  try {
    url = readerUrl(settings.url, MIRROR_READER_ROLE, password);
  } catch {
    url = `postgres://${MIRROR_READER_ROLE}:${password}@<host>/${audit.database}`;
  }
  return new MirrorQueryError(
    'privileged-role',
    [
      `Refused: the mirror connection's role "${audit.role}" is not read-only — ${audit.problems.join('; ')}. Read-only queries run only as a role that can do nothing but read the mirror, so that no query can read server files, stop other sessions or write.`,
      `Create such a role as "${audit.role}" (or the mirror's owner):`,
      statements.join('\n'),
      `Then connect with ${url}`,
      `Or let the companion do it: hexclave-companion mcp --mirror-database-url <this URL> --create-reader-role, or "Create a read-only role" in the Mirror screen.`,
    ].join('\n\n'),
    '42501',
  );
}
