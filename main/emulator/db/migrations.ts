import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFER_STAMPS_SETTING,
  GLOBAL_SEQUENCE,
  GLOBAL_SEQUENCE_INCREMENT,
  INTERNAL_CHANGE_CHANNEL,
  SEQUENCER_SETTING,
} from '../../../shared/internal-db.js';
import { packageRoot } from '../../package-root.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** sha256 of the file as written; a changed applied migration is refused (migrations are append-only). */
  readonly checksum: string;
  readonly sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

function escapeLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

// Names shared with the sync engine live in shared/internal-db.ts; the SQL files refer to them by placeholder.
const PLACEHOLDERS: Record<string, string> = {
  INTERNAL_CHANGE_CHANNEL: escapeLiteral(INTERNAL_CHANGE_CHANNEL),
  GLOBAL_SEQUENCE,
  GLOBAL_SEQUENCE_INCREMENT: String(GLOBAL_SEQUENCE_INCREMENT),
  SEQUENCER_SETTING: escapeLiteral(SEQUENCER_SETTING),
  DEFER_STAMPS_SETTING: escapeLiteral(DEFER_STAMPS_SETTING),
};

function substitute(sql: string, file: string): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = PLACEHOLDERS[name];
    if (value === undefined) throw new Error(`Migration ${file} uses an unknown placeholder {{${name}}}.`);
    return value;
  });
}

/** Beside this module when run from source (tsx, vitest); under the package root in a bundled build. */
function migrationsDir(): string {
  const candidates = [
    fileURLToPath(new URL('./migrations/', import.meta.url)),
    join(packageRoot(), 'main', 'emulator', 'db', 'migrations'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found)
    throw new Error(`Cannot find the emulator's SQL migrations (looked in ${candidates.join(', ')}).`);
  return found;
}

let cached: readonly Migration[] | undefined;

/** Every migration shipped with this build, in version order; versions must be 1, 2, 3… without gaps. */
export function loadMigrations(): readonly Migration[] {
  if (cached) return cached;
  const dir = migrationsDir();
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`Migration file "${file}" must be named NNNN_snake_case_name.sql.`);
      const raw = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2]!,
        checksum: createHash('sha256').update(raw).digest('hex'),
        sql: substitute(raw, file),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration versions must run 1, 2, 3… without gaps; found ${migration.version} at ${index + 1}.`,
      );
    }
  });
  cached = migrations;
  return migrations;
}
