import type { Context } from 'hono';
import {
  dualResponseHeaderNames,
  normalizeRequestHeaders,
  requestHeaderName,
  stripHexclaveRequestHeaders,
} from '../../../shared/registry/index.js';
import type { CompatMode } from '../compat.js';
import type { EmulatorEnv } from './env.js';

/** Stack name of a request header by registry id; downstream code reads only these after normalization. */
export const requestHeader = (id: string): string => requestHeaderName(id, 'stack');

/**
 * What the backend of each generation sees: dual copies every x-hexclave-* value onto its x-stack-* twin (the
 * rename's proxy hook); legacy drops the hexclave names as if they were never sent, as today's backend would.
 */
export function backendRequestHeaders(headers: Headers, compat: CompatMode): Record<string, string> {
  return compat === 'dual' ? normalizeRequestHeaders(headers).headers : stripHexclaveRequestHeaders(headers);
}

/** Names to emit for a response header: both families with identical values in dual mode, stack only in legacy. */
export function responseHeaderNames(id: string, compat: CompatMode): readonly string[] {
  const [stack, hexclave] = dualResponseHeaderNames(id);
  return compat === 'dual' ? [stack, hexclave] : [stack];
}

export function setResponseHeader(target: Headers, id: string, value: string, compat: CompatMode): void {
  for (const name of responseHeaderNames(id, compat)) target.set(name, value);
}

export function readHeader(c: Context<EmulatorEnv>, id: string): string | undefined {
  return c.var.headers[requestHeader(id)];
}
