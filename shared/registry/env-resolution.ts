import { looksSecretName } from '../redact.js';
import { hexclaveEnvName, stackEnvName } from './env-names.js';
import { entriesOf } from './table.js';
import { matchTemplate } from './template.js';
import type { Family, IdentifierEntry } from './types.js';

/** One source of variables, e.g. the process environment or a `.env.local` file, highest precedence first. */
export interface EnvLayer {
  readonly source: string;
  readonly vars: Readonly<Record<string, string | undefined>>;
}

export interface EnvCandidate {
  readonly name: string;
  readonly value: string;
  readonly source: string;
  readonly family: Family;
}

export interface EnvResolution {
  readonly entryId: string | null;
  readonly concept: string;
  /** The canonical hexclave name. */
  readonly canonicalName: string;
  /** Old names read for the concept, in read order. */
  readonly oldNames: readonly string[];
  /** The value the dual reader uses, and which name and source supplied it. */
  readonly effective: EnvCandidate | null;
  /** Every name of the concept that is set, in read order (new first). */
  readonly candidates: readonly EnvCandidate[];
  /** Both families (or several old aliases) set to different values. */
  readonly conflict: boolean;
  readonly warnings: readonly string[];
  readonly secret: boolean;
}

const ENV_ENTRIES = entriesOf('env-var').filter((e) => e.new !== null);

type Merged = Map<string, { value: string; source: string }>;

/** First layer that defines a name wins, empty strings included (an empty line in .env still defines it). */
function mergeLayers(layers: readonly EnvLayer[]): Merged {
  const merged: Merged = new Map();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer.vars)) {
      if (value === undefined || merged.has(name)) continue;
      merged.set(name, { value, source: layer.source });
    }
  }
  return merged;
}

interface ConceptKey {
  readonly entry: IdentifierEntry | null;
  readonly canonicalName: string;
  readonly oldNames: readonly string[];
}

/** Concrete names for an entry; template entries (`STACK_EMAIL_{suffix}`) expand from the names actually set. */
function conceptsFor(entry: IdentifierEntry, setNames: readonly string[]): ConceptKey[] {
  const oldTemplates = [entry.old, ...(entry.oldAliases ?? [])];
  if (!entry.old.includes('{')) {
    return [{ entry, canonicalName: entry.new!, oldNames: oldTemplates }];
  }
  const keys = new Map<string, ConceptKey>();
  for (const name of setNames) {
    const params = matchTemplate(entry.old, name) ?? matchTemplate(entry.new!, name);
    if (!params) continue;
    const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, p: string) => params[p] ?? '');
    const canonicalName = fill(entry.new!);
    keys.set(canonicalName, { entry, canonicalName, oldNames: oldTemplates.map(fill) });
  }
  return [...keys.values()];
}

function resolveConcept(key: ConceptKey, merged: Merged): EnvResolution {
  const renamedOutright = key.entry?.policy === 'rename-outright';
  const candidates: EnvCandidate[] = [];
  for (const [name, family] of [
    [key.canonicalName, 'hexclave'] as const,
    ...key.oldNames.map((n) => [n, 'stack'] as const),
  ]) {
    const hit = merged.get(name);
    // Upstream's readers treat an empty string as unset.
    if (hit && hit.value !== '') candidates.push({ name, value: hit.value, source: hit.source, family });
  }
  const warnings: string[] = [];
  const canonicalHit = merged.get(key.canonicalName);
  const emptyCanonical = canonicalHit?.value === '' ? canonicalHit : null;
  // The customer SDK reads `process.env.HEXCLAVE_X ?? process.env.STACK_X`: an empty new name masks the old one.
  const sdkMasked = emptyCanonical !== null && key.entry?.envGroup === 'A' && candidates.length > 0;
  if (emptyCanonical && candidates.length > 0) {
    warnings.push(
      `${key.canonicalName} is set but empty in ${emptyCanonical.source}; @stackframe/js reads it with ?? and so ignores ${candidates[0]!.name}. Remove the empty ${key.canonicalName} line.`,
    );
  }
  const readable = renamedOutright ? candidates.filter((c) => c.family === 'hexclave') : candidates;
  const effective = sdkMasked ? null : (readable[0] ?? null);
  const conflict = new Set(candidates.map((c) => c.value)).size > 1;
  const oldSet = candidates.filter((c) => c.family === 'stack');
  if (renamedOutright && oldSet.length > 0) {
    warnings.push(
      `${oldSet[0]!.name} is no longer read (renamed outright, no fallback): rename it to ${key.canonicalName} in ${oldSet[0]!.source}.`,
    );
  } else if (effective?.family === 'stack' && key.entry?.envGroup === 'A') {
    warnings.push(
      `Only the old name ${effective.name} is set: it still works, but ${key.canonicalName} is the canonical name.`,
    );
  }
  if (conflict) {
    const names = candidates.map((c) => c.name).join(' and ');
    warnings.push(
      `${names} are set to different values; ${effective ? `${effective.name} wins` : 'neither is read'}.`,
    );
  }
  const concept =
    key.entry?.concept ?? `Generic ${key.canonicalName} (central STACK_* → HEXCLAVE_* transform)`;
  return {
    entryId: key.entry?.id ?? null,
    concept,
    canonicalName: key.canonicalName,
    oldNames: key.oldNames,
    effective,
    candidates,
    conflict,
    warnings,
    secret: key.entry?.secret ?? looksSecretName(key.canonicalName),
  };
}

/**
 * Resolve every rename-relevant variable across layers the way the dual reader does: within a layer stack the
 * first layer that sets a name wins (dotenv semantics), then the hexclave name is read before its stack twin.
 * Concepts with nothing set are omitted unless `includeUnset`.
 */
export function resolveEnv(
  layers: readonly EnvLayer[],
  options: { includeUnset?: boolean } = {},
): EnvResolution[] {
  const merged = mergeLayers(layers);
  const setNames = [...merged.keys()];
  // Concepts sharing a canonical name (STACK_PROJECT_ID and the workflow secret STACK_AUTH_PROJECT_ID both
  // become HEXCLAVE_PROJECT_ID) are one variable with several old names.
  const byCanonical = new Map<string, ConceptKey>();
  for (const key of ENV_ENTRIES.flatMap((entry) => conceptsFor(entry, setNames))) {
    const existing = byCanonical.get(key.canonicalName);
    byCanonical.set(
      key.canonicalName,
      existing ? { ...existing, oldNames: [...new Set([...existing.oldNames, ...key.oldNames])] } : key,
    );
  }
  const keys: ConceptKey[] = [...byCanonical.values()];
  const covered = new Set(keys.flatMap((k) => [k.canonicalName, ...k.oldNames]));
  for (const name of setNames) {
    if (covered.has(name)) continue;
    const canonicalName = stackEnvName(name) !== null ? name : hexclaveEnvName(name);
    if (canonicalName === null) continue;
    const oldName = stackEnvName(canonicalName);
    if (oldName === null) continue;
    keys.push({ entry: null, canonicalName, oldNames: [oldName] });
    covered.add(canonicalName);
    covered.add(oldName);
  }
  return keys
    .map((key) => resolveConcept(key, merged))
    .filter((r) => options.includeUnset || r.candidates.length > 0 || r.warnings.length > 0);
}
