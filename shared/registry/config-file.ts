import { entriesOf } from './table.js';

export interface ConfigFileDiscovery {
  /** The file a dual-aware tool uses (hexclave first), or null when there is none. */
  readonly chosen: string | null;
  /** Every candidate present, in preference order. */
  readonly found: readonly string[];
  /** True when both a hexclave and a stack config exist: the stack one is then ignored. */
  readonly shadowed: readonly string[];
}

/** Candidate names in discovery order: hexclave.config.ts, hexclave.config.js, stack.config.ts, stack.config.js. */
export function configFileCandidates(): string[] {
  const entries = entriesOf('config-file');
  return [...entries.map((e) => e.new!), ...entries.map((e) => e.old)];
}

/** Pure discovery: the caller says which names exist (a directory listing, a zip, a GitHub tree). */
export function discoverConfigFile(exists: (fileName: string) => boolean): ConfigFileDiscovery {
  const found = configFileCandidates().filter(exists);
  const chosen = found[0] ?? null;
  return { chosen, found, shadowed: found.slice(1) };
}
