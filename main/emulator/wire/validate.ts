import type { Context } from 'hono';
import type { z } from 'zod';
import type { EmulatorEnv } from '../context.js';
import { knownError } from './known-errors.js';

type Location = 'body' | 'query' | 'params';

function schemaError(
  c: Context<EmulatorEnv>,
  location: Location,
  issues: readonly z.core.$ZodIssue[],
): Error {
  const lines = issues.map((issue) => {
    const path = [location, ...issue.path.map(String)].join('.');
    return `  - ${path}: ${issue.message}`;
  });
  return knownError(
    'SCHEMA_ERROR',
    `Request validation failed on ${c.req.method} ${c.req.path}:\n${lines.join('\n')}`,
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
  if (!result.success) throw schemaError(c, location, result.error.issues);
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
