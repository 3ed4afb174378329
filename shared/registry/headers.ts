import { entriesOf } from './table.js';
import type { Family, IdentifierEntry } from './types.js';

export type HeaderInput = Headers | Record<string, string | string[] | undefined>;

export interface HeaderConflict {
  readonly entryId: string;
  readonly stackName: string;
  readonly hexclaveName: string;
  readonly stackValue: string;
  readonly hexclaveValue: string;
}

/** Which header family a client used: an old SDK sends only stack names, a new SDK only hexclave names. */
export type ClientFamily = 'old' | 'new' | 'mixed' | 'none';

export interface NormalizedRequestHeaders {
  /** Lower-cased headers with every hexclave value copied onto its stack twin, as the dual backend does. */
  readonly headers: Record<string, string>;
  readonly conflicts: readonly HeaderConflict[];
  readonly family: ClientFamily;
  readonly stackNamesSent: readonly string[];
  readonly hexclaveNamesSent: readonly string[];
}

const REQUEST_HEADERS = entriesOf('request-header');
const RESPONSE_HEADERS = entriesOf('response-header');

function toLowerRecord(input: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof Headers !== 'undefined' && input instanceof Headers) {
    input.forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
    return out;
  }
  for (const [key, value] of Object.entries(input as Record<string, string | string[] | undefined>)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function clientFamily(stackCount: number, hexclaveCount: number): ClientFamily {
  if (stackCount > 0 && hexclaveCount > 0) return 'mixed';
  if (stackCount > 0) return 'old';
  if (hexclaveCount > 0) return 'new';
  return 'none';
}

/**
 * Normalize request headers hexclave → stack, the way the dual backend's proxy hook does (hexclave-rename.md §2):
 * the hexclave value wins when both are present, and a differing pair is reported as a conflict.
 */
export function normalizeRequestHeaders(input: HeaderInput): NormalizedRequestHeaders {
  const headers = toLowerRecord(input);
  const conflicts: HeaderConflict[] = [];
  const stackNamesSent: string[] = [];
  const hexclaveNamesSent: string[] = [];
  for (const entry of REQUEST_HEADERS) {
    const stackName = entry.old;
    const hexclaveName = entry.new!;
    const stackValue = headers[stackName];
    const hexclaveValue = headers[hexclaveName];
    if (stackValue !== undefined) stackNamesSent.push(stackName);
    if (hexclaveValue === undefined) continue;
    hexclaveNamesSent.push(hexclaveName);
    if (stackValue !== undefined && stackValue !== hexclaveValue) {
      conflicts.push({ entryId: entry.id, stackName, hexclaveName, stackValue, hexclaveValue });
    }
    headers[stackName] = hexclaveValue;
  }
  return {
    headers,
    conflicts,
    family: clientFamily(stackNamesSent.length, hexclaveNamesSent.length),
    stackNamesSent,
    hexclaveNamesSent,
  };
}

/** Legacy backends know only stack names: hexclave headers are dropped as if never sent. */
export function stripHexclaveRequestHeaders(input: HeaderInput): Record<string, string> {
  const headers = toLowerRecord(input);
  for (const entry of REQUEST_HEADERS) delete headers[entry.new!];
  return headers;
}

function responseEntry(nameOrId: string): IdentifierEntry {
  const lower = nameOrId.toLowerCase();
  const entry = RESPONSE_HEADERS.find(
    (e) => e.id === nameOrId || e.id === `header.${lower}` || e.old === lower || e.new === lower,
  );
  if (!entry) throw new Error(`"${nameOrId}" is not a dual-emitted response header in the registry.`);
  return entry;
}

export interface DualHeaderRead {
  readonly value: string | null;
  readonly source: Family | null;
}

/** Read a dual-emitted response header as a new SDK does: the hexclave name first, the stack name as fallback. */
export function readDualResponseHeader(input: HeaderInput, nameOrId: string): DualHeaderRead {
  const entry = responseEntry(nameOrId);
  const headers = toLowerRecord(input);
  const hexclaveValue = headers[entry.new!];
  if (hexclaveValue !== undefined) return { value: hexclaveValue, source: 'hexclave' };
  const stackValue = headers[entry.old];
  if (stackValue !== undefined) return { value: stackValue, source: 'stack' };
  return { value: null, source: null };
}

/** Both names to emit for a dual-emitted response header, stack first (the order upstream sets them). */
export function dualResponseHeaderNames(nameOrId: string): readonly [stack: string, hexclave: string] {
  const entry = responseEntry(nameOrId);
  return [entry.old, entry.new!];
}

/** Request header names of one family, as a new or old SDK would send them. */
export function requestHeaderName(id: string, family: Family): string {
  const entry = REQUEST_HEADERS.find((e) => e.id === id);
  if (!entry) throw new Error(`"${id}" is not a request header in the registry.`);
  return family === 'stack' ? entry.old : entry.new!;
}

export function allRequestHeaderNames(): string[] {
  return REQUEST_HEADERS.flatMap((e) => [e.old, e.new!]);
}

export function allResponseHeaderNames(): string[] {
  return RESPONSE_HEADERS.flatMap((e) => [e.old, e.new!]);
}
