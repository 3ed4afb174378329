/**
 * The settings of a connected project as the user sees them: one label per field (the form, every GUI error that
 * names a field) and the checks a value must pass before anything is sent or stored. The formats are upstream's
 * (stack-protocol.md §1: a project id is a UUID or the literal `internal`; keys are `pck_…`, `ssk_…`, `sak_…`,
 * apps/backend/src/lib/internal-api-keys.tsx).
 */

export const PROJECT_FIELD_LABELS = {
  name: 'Name',
  folder: 'Project folder',
  apiUrl: 'API URL',
  projectId: 'Project id',
  publishableClientKey: 'Publishable client key',
  secretServerKey: 'Secret server key',
  superSecretAdminKey: 'Super secret admin key',
  internalDatabaseUrl: 'Internal database URL',
  mirrorDatabaseUrl: 'Mirror database URL',
} as const;

export type ProjectField = keyof typeof PROJECT_FIELD_LABELS;

/** The CLI flag that sets each field, so a message written for the terminal can be read in the app. */
export const PROJECT_FIELD_FLAGS: Partial<Record<ProjectField, readonly string[]>> = {
  apiUrl: ['--api-url'],
  projectId: ['--project-id'],
  publishableClientKey: ['--publishable-client-key'],
  secretServerKey: ['--secret-server-key'],
  internalDatabaseUrl: ['--database-url'],
  mirrorDatabaseUrl: ['--mirror-database-url'],
};

/** `the API URL`, `the project id`: a label inside a sentence (acronyms keep their case). */
export function fieldPhrase(field: ProjectField): string {
  const label: string = PROJECT_FIELD_LABELS[field];
  const lower = /^[A-Z][A-Z]/.test(label) ? label : `${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  return `the ${lower}`;
}

export interface FieldProblem {
  /** An error blocks connecting; a warning is shown and the value is kept. */
  readonly level: 'error' | 'warning';
  readonly message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which key each prefix belongs to. */
const KEY_PREFIXES = {
  publishableClientKey: 'pck_',
  secretServerKey: 'ssk_',
  superSecretAdminKey: 'sak_',
} as const;
type KeyField = keyof typeof KEY_PREFIXES;

const KEY_NAMES: Record<KeyField, string> = {
  publishableClientKey: 'the publishable client key',
  secretServerKey: 'a secret server key',
  superSecretAdminKey: 'a super secret admin key',
};

function checkKey(field: KeyField, value: string, projectId: string | undefined): FieldProblem | null {
  const prefix = KEY_PREFIXES[field];
  if (value.startsWith(prefix)) return /\s/.test(value) ? spaces : null;
  for (const [other, otherPrefix] of Object.entries(KEY_PREFIXES) as [KeyField, string][]) {
    if (value.startsWith(otherPrefix)) {
      return {
        level: 'error',
        message: `This is ${KEY_NAMES[other]} (${otherPrefix}…), not ${KEY_NAMES[field].replace(/^an? /, 'the ')}: it starts with ${prefix}.`,
      };
    }
  }
  // The internal project's keys are seeded from the backend's environment and may be any string.
  if (projectId === 'internal') return null;
  return {
    level: 'warning',
    message: `Keys a Stack/Hexclave backend issues start with ${prefix}; check that you copied ${KEY_NAMES[field].replace(/^an? /, 'the ')}.`,
  };
}

const spaces: FieldProblem = { level: 'error', message: 'Contains spaces: copy it again without them.' };

function checkPostgresUrl(value: string): FieldProblem | null {
  if (!/^postgres(ql)?:\/\//.test(value)) {
    return { level: 'error', message: 'Must be a postgres:// (or postgresql://) URL.' };
  }
  try {
    new URL(value);
    return null;
  } catch {
    return {
      level: 'error',
      message: 'Is not a valid URL (a password with @, : or / must be percent-encoded).',
    };
  }
}

function checkApiUrl(value: string): FieldProblem | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      level: 'error',
      message: 'Must be a URL such as https://api.example.com or http://localhost:8102.',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { level: 'error', message: 'Must start with http:// or https://.' };
  }
  if (/\/api\/v1\/?$/.test(url.pathname)) {
    return { level: 'warning', message: 'The SDKs add /api/v1 themselves: give the base URL without it.' };
  }
  return null;
}

/** What is wrong with one value, or null. `projectId` is the id given with it (keys of `internal` are free-form). */
export function checkProjectField(
  field: ProjectField,
  value: string,
  context: { projectId?: string } = {},
): FieldProblem | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  switch (field) {
    case 'apiUrl':
      return checkApiUrl(trimmed);
    case 'projectId':
      if (trimmed === 'internal' || UUID.test(trimmed)) return null;
      return {
        level: 'error',
        message:
          'A project id is a UUID such as 0b5f0c1e-…-9f2a (Project settings in your dashboard), or internal.',
      };
    case 'publishableClientKey':
    case 'secretServerKey':
    case 'superSecretAdminKey':
      return checkKey(field, trimmed, context.projectId?.trim());
    case 'internalDatabaseUrl':
    case 'mirrorDatabaseUrl':
      return checkPostgresUrl(trimmed);
    default:
      return null;
  }
}

/** `Project id: A project id is a UUID…` — how a problem reads outside the form. */
export function describeFieldProblem(field: ProjectField, problem: FieldProblem): string {
  return `${PROJECT_FIELD_LABELS[field]}: ${problem.message}`;
}

/**
 * A message written for the terminal, made readable in the app: CLI flags become the field labels the form uses
 * (`Check --api-url` → `Check the API URL`).
 */
export function withFieldLabels(message: string): string {
  let out = message;
  for (const [field, flags] of Object.entries(PROJECT_FIELD_FLAGS) as [ProjectField, readonly string[]][]) {
    const phrase = fieldPhrase(field);
    for (const flag of flags) {
      out = out.replace(new RegExp(`(^|[\\s(])${flag}(?![\\w-])`, 'g'), `$1${phrase}`);
    }
  }
  return out.replace(/(^|[.:]\s+)the /g, (_, lead: string) => `${lead}The `);
}
