import { SENT_BY_SDK } from './entries/headers.js';
import { entriesOf } from './table.js';
import type { Family, IdentifierEntry } from './types.js';

/**
 * Request headers the published SDKs put on their API calls (docs/sdk-as-shipped.md §1.1): 2.8.102 sends the
 * stack names of these, 2.8.108 the hexclave names. Everything else in the request-header table is accepted by
 * the backend but sent by neither SDK.
 */
export function sdkSentRequestHeaders(): IdentifierEntry[] {
  return entriesOf('request-header').filter((entry) => SENT_BY_SDK.has(entry.id.slice('header.'.length)));
}

/** Names of the SDK-sent request headers in one family, lower-cased, as a CORS preflight would list them. */
export function sdkSentRequestHeaderNames(family: Family): string[] {
  return sdkSentRequestHeaders().map((entry) => (family === 'stack' ? entry.old : entry.new!));
}
