import type { Queryable } from '../../db/index.js';
import { type KeyKind, lookupProject, type ProjectLookup } from './lookup.js';

const CACHE_MS = 1000;
const CACHE_LIMIT = 1000;

/**
 * Project lookups for request parsing, kept for one second per (project, branch, key): a busy client repeats the
 * same headers on every request. Writes made through the emulator call `invalidate`, so a config change, a new
 * key or a deleted project is seen by the very next request; a change made with plain SQL within a second.
 */
export class ProjectDirectory {
  private readonly cache = new Map<string, { at: number; value: Promise<ProjectLookup | null> }>();

  constructor(private readonly db: Queryable) {}

  lookup(projectId: string, branchId: string, key?: { kind: KeyKind; value: string }) {
    const cacheKey = [projectId, branchId, key?.kind ?? '', key?.value ?? ''].join('\u0000');
    const hit = this.cache.get(cacheKey);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const value = lookupProject(this.db, projectId, branchId, key);
    // A failed lookup (e.g. the database is down) is not remembered.
    value.catch(() => this.cache.delete(cacheKey));
    this.cache.set(cacheKey, { at: Date.now(), value });
    return value;
  }

  /** Forget what is known about one project (after a write to it). */
  invalidate(projectId: string): void {
    const prefix = `${projectId}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}
