import type { Context } from 'hono';
import { redactSecretsInText } from '../../../shared/redact.js';
import { KnownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from './env.js';
import { setResponseHeader } from './wire-headers.js';

/** The one place errors become responses: KnownError JSON + known-error header, StatusError text, else 500. */
export function handleError(error: Error, c: Context<EmulatorEnv>): Response {
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
