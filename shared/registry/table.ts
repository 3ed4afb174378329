import { BROWSER_ENTRIES } from './entries/browser.js';
import { COOKIE_ENTRIES } from './entries/cookies.js';
import { ENV_ENTRIES } from './entries/env-vars.js';
import { HEADER_ENTRIES } from './entries/headers.js';
import { PACKAGE_ENTRIES } from './entries/packages.js';
import { PROJECT_FILE_ENTRIES } from './entries/project-files.js';
import { QUERY_PARAM_ENTRIES } from './entries/query-params.js';
import { SDK_INTERNAL_ENTRIES } from './entries/sdk-internals.js';
import { STORAGE_ENTRIES } from './entries/storage.js';
import { SYMBOL_ENTRIES } from './entries/symbols.js';
import { TOKEN_ENTRIES } from './entries/tokens.js';
import { oldNameKeptIndefinitely } from './never-removed.js';
import { SDK_SHIPPING } from './sdk-shipping.js';
import type { Category, IdentifierEntry, Policy } from './types.js';

/** The entries as written, one file per category family; shipping facts and lifetimes are merged in below. */
const ENTRIES: readonly IdentifierEntry[] = [
  ...HEADER_ENTRIES,
  ...COOKIE_ENTRIES,
  ...TOKEN_ENTRIES,
  ...QUERY_PARAM_ENTRIES,
  ...STORAGE_ENTRIES,
  ...SYMBOL_ENTRIES,
  ...PROJECT_FILE_ENTRIES,
  ...BROWSER_ENTRIES,
  ...PACKAGE_ENTRIES,
  ...ENV_ENTRIES,
  ...SDK_INTERNAL_ENTRIES,
];

/** Every old `stack` identifier of the rename with its `hexclave` twin and policy: the single source of truth. */
export const IDENTIFIERS: readonly IdentifierEntry[] = ENTRIES.map((entry) => {
  const sdk = SDK_SHIPPING[entry.id];
  return {
    ...entry,
    ...(sdk ? { sdk } : {}),
    ...(oldNameKeptIndefinitely(entry) ? { oldKeptIndefinitely: true as const } : {}),
  };
});

const BY_ID = new Map(IDENTIFIERS.map((entry) => [entry.id, entry]));

export class UnknownIdentifierError extends Error {
  override readonly name = 'UnknownIdentifierError';
}

/** Look an entry up by its stable id; throws for ids that are not in the registry (a programming error). */
export function identifier(id: string): IdentifierEntry {
  const entry = BY_ID.get(id);
  if (!entry) throw new UnknownIdentifierError(`No registry entry with id "${id}".`);
  return entry;
}

export function entriesOf(category: Category): IdentifierEntry[] {
  return IDENTIFIERS.filter((entry) => entry.category === category);
}

export function entriesWithPolicy(policy: Policy): IdentifierEntry[] {
  return IDENTIFIERS.filter((entry) => entry.policy === policy);
}
