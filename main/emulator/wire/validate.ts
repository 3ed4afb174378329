import type { Context } from 'hono';
import type { z } from 'zod';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv } from './env.js';

type Location = 'body' | 'query' | 'params' | 'headers';

/** Set on a refinement's `params` to print its message on its own, without the field path (upstream does so). */
export const BARE_MESSAGE = { bare: true } as const;

function pathText(location: Location, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    location,
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One zod issue in upstream's (yup's) wording, e.g. `body.email must be defined`. */
function describeIssue(location: Location, issue: z.core.$ZodIssue, input: unknown): string {
  const path = pathText(location, issue.path);
  const value = valueAt(input, issue.path);
  if (issue.code === 'invalid_union' && value === undefined) return `${path} must be defined`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${path} contains unknown properties: ${issue.keys.join(', ')}`;
    case 'invalid_type':
      if (value === undefined) return `${path} must be defined`;
      if (value === null) return `${path} cannot be null`;
      return `${path} must be a \`${issue.expected}\` type, but the final value was: \`${JSON.stringify(value)}\`.`;
    case 'invalid_value':
      return `${path} must be one of the following values: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.exact)
        return `${path} must be exactly ${issue.minimum} characters`;
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return `${path} must not be empty`;
      if (issue.origin === 'string') return `${path} must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `${path} field must have at least ${issue.minimum} items`;
      return `${path} must be greater than or equal to ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string' && issue.exact)
        return `${path} must be exactly ${issue.maximum} characters`;
      if (issue.origin === 'string') return `${path} must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array')
        return `${path} field must have less than or equal to ${issue.maximum} items`;
      return `${path} must be less than or equal to ${issue.maximum}`;
    case 'invalid_format':
      if (issue.format === 'url') return `${path} is not a valid URL`;
      if (issue.format === 'email') return `${path} must be a valid email`;
      if (issue.format === 'uuid') return `${path} must be a valid UUID`;
      return `${path} is not a valid ${issue.format}`;
    case 'custom':
      return (issue.params as { bare?: boolean } | undefined)?.bare
        ? issue.message
        : `${path} ${issue.message}`;
    default:
      return `${path} is invalid: ${issue.message}`;
  }
}

/** Upstream's SCHEMA_ERROR: one line per offending field under "Request validation failed on METHOD PATH". */
export function schemaError(c: Context<EmulatorEnv>, lines: readonly string[]) {
  return knownError(
    'SCHEMA_ERROR',
    `Request validation failed on ${c.req.method} ${c.req.path}:\n${lines.map((line) => `  - ${line}`).join('\n')}`,
  );
}

/** SCHEMA_ERROR for one field (`body.display_name`), worded like the zod failures above. */
export function fieldError(c: Context<EmulatorEnv>, path: string, message: string): Error {
  return knownError(
    'SCHEMA_ERROR',
    `Request validation failed on ${c.req.method} ${c.req.path}:\n  - ${path}: ${message}`,
  );
}

/** Parse a value with a zod schema; a failure is upstream's SCHEMA_ERROR naming every offending field. */
export function validate<S extends z.ZodType>(
  c: Context<EmulatorEnv>,
  location: Location,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw schemaError(
      c,
      result.error.issues.map((issue) => describeIssue(location, issue, value)),
    );
  }
  return result.data;
}

/** Request body by content type, as upstream's smart-request parses it; unknown types are BODY_PARSING_ERROR. */
export async function readBody(c: Context<EmulatorEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text === '') return undefined;
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return JSON.parse(text);
    } catch {
      throw knownError('BODY_PARSING_ERROR', 'Invalid JSON in request body.');
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (type === 'text/plain' || type === 'application/octet-stream') return text;
  throw knownError(
    'BODY_PARSING_ERROR',
    `Unsupported content type "${type || '(none)'}" for a request body.`,
  );
}

export async function validBody<S extends z.ZodType>(
  c: Context<EmulatorEnv>,
  schema: S,
): Promise<z.output<S>> {
  return validate(c, 'body', schema, (await readBody(c)) ?? {});
}

export function validQuery<S extends z.ZodType>(c: Context<EmulatorEnv>, schema: S): z.output<S> {
  return validate(c, 'query', schema, c.req.query());
}
