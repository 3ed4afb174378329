import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactConnectionString, redactSecretsInText } from '../../shared/redact.js';
import { MirrorQueryError } from './errors.js';

/** The login role our read-only SQL surfaces connect as. */
export const MIRROR_READER_ROLE = 'hexclave_mirror_reader';

export interface ReaderRolePlan {
  /** The role to create. */
  readonly role: string;
  readonly password: string;
  readonly database: string;
  readonly schema: string;
  /** The role that creates the mirror's tables (the sync engine's), whose future tables the reader may read too. */
  readonly tableOwner: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The statements that make `role` a login role that can only read the mirror: no superuser or other role
 * attributes, no memberships, CONNECT on the mirror database, USAGE on its schema, SELECT on its tables now and on
 * the ones the sync engine creates later.
 */
export function readerRoleStatements(plan: ReaderRolePlan, exists = false): string[] {
  const role = ident(plan.role);
  const attributes = `LOGIN PASSWORD ${literal(plan.password)} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`;
  return [
    exists ? `ALTER ROLE ${role} ${attributes};` : `CREATE ROLE ${role} ${attributes};`,
    `GRANT CONNECT ON DATABASE ${ident(plan.database)} TO ${role};`,
    `GRANT USAGE ON SCHEMA ${ident(plan.schema)} TO ${role};`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${ident(plan.schema)} TO ${role};`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(plan.tableOwner)} IN SCHEMA ${ident(plan.schema)} GRANT SELECT ON TABLES TO ${role};`,
  ];
}

/** `url` with its user and password replaced by the reader's. */
export function readerUrl(url: string, role: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function freshReaderPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Create (or reset) the mirror's read-only role through `ownerUrl`, a role allowed to create roles and grant on the
 * mirror (its owner, or a superuser), and return the reader's URL. Idempotent: an existing role of that name gets
 * the new password and loses any attribute a reader must not have.
 */
export async function createMirrorReaderRole(
  ownerUrl: string,
  options: { schema: string; role?: string; password?: string },
): Promise<{ url: string; role: string }> {
  const role = options.role ?? MIRROR_READER_ROLE;
  const password = options.password ?? freshReaderPassword();
  const client = new pg.Client({ connectionString: ownerUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const facts = await client.query<{ database: string; owner: string; exists: boolean }>(
      'SELECT current_database() AS database, current_user AS owner, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists',
      [role],
    );
    const { database, owner, exists } = facts.rows[0]!;
    const statements = readerRoleStatements(
      { role, password, database, schema: options.schema, tableOwner: owner },
      exists,
    );
    await client.query('BEGIN');
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const reason = redactSecretsInText(error instanceof Error ? error.message : String(error));
    throw new MirrorQueryError(
      'privileged-role',
      `Could not create the read-only role "${role}" through ${redactConnectionString(ownerUrl)}: ${reason}. Run the statements as the mirror's owner or a superuser instead.`,
      (error as { code?: string }).code,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => {});
  }
  return { url: readerUrl(ownerUrl, role, password), role };
}
