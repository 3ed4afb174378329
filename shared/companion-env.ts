/**
 * Environment variables Hexclave Companion itself reads (not part of the rename: the registry lists those).
 * Each is read like every Hexclave variable: the HEXCLAVE_ name first, then the STACK_ twin the central
 * transform derives (resolveEnv), so a team that still spells everything STACK_* is not left out.
 */

export interface CompanionEnvVar {
  /** Canonical HEXCLAVE_* name; the STACK_* twin is derived by stackEnvName. */
  readonly name: string;
  readonly description: string;
  readonly secret: boolean;
}

export const COMPANION_ENV = {
  mirrorDatabaseUrl: {
    name: 'HEXCLAVE_MIRROR_DATABASE_URL',
    description:
      'postgres:// URL of the mirror database the sync engine writes (read-only for the MCP server).',
    secret: true,
  },
  mirrorSchema: {
    name: 'HEXCLAVE_MIRROR_SCHEMA',
    description: 'Schema holding the mirror tables (default public).',
    secret: false,
  },
  mcpReadOnly: {
    name: 'HEXCLAVE_MCP_READ_ONLY',
    description: 'Set to 1/true to hide every MCP tool that can write (same as --read-only).',
    secret: false,
  },
  mcpStatementTimeoutMs: {
    name: 'HEXCLAVE_MCP_STATEMENT_TIMEOUT_MS',
    description: 'statement_timeout for query_mirror and profile_query, in milliseconds (default 5000).',
    secret: false,
  },
} as const satisfies Record<string, CompanionEnvVar>;
