import { IDENTIFIERS } from './table.js';
import { matchTemplate } from './template.js';
import type { Category, Family, IdentifierEntry, Policy } from './types.js';
import { CATEGORIES, POLICIES } from './types.js';

export interface NameMatch {
  readonly entry: IdentifierEntry;
  readonly family: Family;
  /** Template parameters when the name is a concrete instance (`stack-refresh-p1--default` → projectId p1). */
  readonly params: Readonly<Record<string, string>>;
  readonly matchedForm: string;
}

const CASE_INSENSITIVE: ReadonlySet<Category> = new Set([
  'request-header',
  'response-header',
  'sdk-auth-header',
]);

function formsOf(entry: IdentifierEntry): Array<[string, Family]> {
  const forms: Array<[string, Family]> = [[entry.old, 'stack']];
  for (const alias of entry.oldAliases ?? []) forms.push([alias, 'stack']);
  if (entry.new !== null) forms.push([entry.new, 'hexclave']);
  return forms;
}

/** Every registry entry a concrete name (or a template itself) belongs to, e.g. `__Host-hexclave-refresh-x--default`. */
export function findByName(name: string): NameMatch[] {
  const matches: NameMatch[] = [];
  const bare = name.startsWith('__Host-') ? name.slice('__Host-'.length) : null;
  for (const entry of IDENTIFIERS) {
    // A template that is nothing but a parameter (the bare `{projectId}` audience) would match every name.
    if (entry.old.replace(/\{\w+\}/g, '') === '') continue;
    const caseInsensitive = CASE_INSENSITIVE.has(entry.category);
    for (const [form, family] of formsOf(entry)) {
      const exact = caseInsensitive ? form.toLowerCase() === name.toLowerCase() : form === name;
      const params = exact
        ? {}
        : (matchTemplate(form, name, { caseInsensitive }) ??
          (bare !== null && entry.securePrefix ? matchTemplate(form, bare) : null));
      if (params) {
        matches.push({ entry, family, params, matchedForm: form });
        break;
      }
    }
  }
  return matches;
}

export interface SearchOptions {
  readonly category?: Category;
  readonly policy?: Policy;
  readonly limit?: number;
}

function score(entry: IdentifierEntry, q: string): number {
  const forms = formsOf(entry).map(([f]) => f.toLowerCase());
  if (forms.some((f) => f === q)) return 100;
  if (forms.some((f) => f.startsWith(q))) return 80;
  if (forms.some((f) => f.includes(q))) return 60;
  if (entry.id.toLowerCase().includes(q)) return 50;
  if (entry.category === q || entry.policy === q) return 40;
  if (entry.concept.toLowerCase().includes(q)) return 30;
  if ((entry.notes ?? '').toLowerCase().includes(q)) return 10;
  return 0;
}

/**
 * Look identifiers up by either name (or a concrete instance of a templated name), category or policy.
 * An empty query lists everything, filtered by the options.
 */
export function searchIdentifiers(query: string, options: SearchOptions = {}): IdentifierEntry[] {
  const q = query.trim().toLowerCase();
  const filtered = IDENTIFIERS.filter(
    (e) =>
      (!options.category || e.category === options.category) &&
      (!options.policy || e.policy === options.policy),
  );
  if (q === '') return filtered.slice(0, options.limit ?? filtered.length);
  const concrete = new Set(findByName(query.trim()).map((m) => m.entry.id));
  const ranked = filtered
    .map((entry) => ({ entry, score: concrete.has(entry.id) ? 90 : score(entry, q) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score);
  return ranked.slice(0, options.limit ?? ranked.length).map((r) => r.entry);
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function isPolicy(value: string): value is Policy {
  return (POLICIES as readonly string[]).includes(value);
}
