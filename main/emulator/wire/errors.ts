import type { Context } from 'hono';
import { redactSecretsInText } from '../../../shared/redact.js';
import { KnownError, knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from './env.js';
import { setResponseHeader } from './wire-headers.js';

/**
 * Postgres errors that only a request's values cause (a value too long for an index, a character the encoding
 * cannot hold, nesting past the stack): the request is at fault, so a 400, never a 500. The wire layer refuses most
 * of them first (input-hygiene.ts); this is the net under every route.
 */
const INPUT_SQLSTATES: Record<string, string> = {
  '54000': 'a value is too large to be stored or indexed',
  '54001': 'a value is nested too deeply',
  '22001': 'a value is too long',
  '22021': 'a value holds a character that cannot be stored',
  '22P05': 'a value holds a character that cannot be stored',
};

function inputError(error: Error, c: Context<EmulatorEnv>): KnownError | null {
  const code = (error as { code?: unknown }).code;
  const what = typeof code === 'string' ? INPUT_SQLSTATES[code] : undefined;
  if (!what) return null;
  return knownError(
    'SCHEMA_ERROR',
    `Request validation failed on ${c.req.method} ${c.req.path}:\n  - body: ${what} (SQLSTATE ${code})`,
  ) as KnownError;
}

/** The one place errors become responses: KnownError JSON + known-error header, StatusError text, else 500. */
export function handleError(error: Error, c: Context<EmulatorEnv>): Response {
  const fromInput = inputError(error, c);
  if (fromInput) return handleError(fromInput, c);
  const compat = c.var.ctx?.compat ?? 'dual';
  if (error instanceof KnownError) {
    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store, max-age=0',
    });
    setResponseHeader(headers, 'header.known-error', error.code, compat);
    return new Response(error.toBody(), { status: error.status, headers });
  }
  if (error instanceof StatusError) {
    return new Response(error.message, {
      status: error.status,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store, max-age=0' },
    });
  }
  c.var.ctx?.log(`[${c.var.requestId ?? '-'}] ${redactSecretsInText(error.stack ?? String(error))}`);
  return new Response(
    `Something went wrong. Please make sure the data you entered is correct.\n\nRequest ID: ${c.var.requestId ?? ''}`,
    {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store, max-age=0' },
    },
  );
}
