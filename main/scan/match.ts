import {
  type LiteralMatch,
  matchCodeName,
  matchEnvName,
  matchLiteral,
  matchModuleSpecifier,
} from '../../shared/registry/index.js';
import type { Occurrence } from './occurrence.js';

// The same names recur across a project's files; matching is pure, so each distinct one is matched once.
const cache = new Map<string, LiteralMatch[]>();
const CACHE_LIMIT = 50_000;

/** What registry identifiers one occurrence stands for: the one decision the scanner and the extractor share. */
export function matchOccurrence(occurrence: Occurrence): LiteralMatch[] {
  const key = `${occurrence.kind}\u0000${occurrence.categories?.join(',') ?? ''}\u0000${occurrence.value}`;
  let matches = cache.get(key);
  if (!matches) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    matches = uncached(occurrence);
    cache.set(key, matches);
  }
  return matches;
}

function uncached(occurrence: Occurrence): LiteralMatch[] {
  switch (occurrence.kind) {
    case 'value':
      return matchLiteral(occurrence.value);
    case 'env-name':
      return matchEnvName(occurrence.value);
    case 'module':
      return matchModuleSpecifier(occurrence.value);
    case 'code-name':
      return matchCodeName(occurrence.value, occurrence.categories ?? []);
    case 'file-name':
      return matchCodeName(occurrence.value, ['config-file']);
  }
}
