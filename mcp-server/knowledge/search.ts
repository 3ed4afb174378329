import MiniSearch from 'minisearch';
import type { KnowledgeDoc, KnowledgeKind } from './corpus.js';

export interface SearchHit {
  readonly doc: KnowledgeDoc;
  readonly score: number;
}

// Words that carry no meaning in a question; dropping them keeps "how do I …" from ranking every page.
const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from how i if in is it me my of on or should so that the this to was what when where which who why will with you your'.split(
    ' ',
  ),
);

const IDENTIFIER_BOOST = 0.4;

/**
 * Lower-case, skip stop words and one-letter tokens, drop a plural `s` (tests → test, headers → header);
 * shared by indexing, search and snippet scoring so both sides agree.
 */
export function normaliseTerm(term: string): string | null {
  const lower = term.toLowerCase();
  if (lower.length < 2 || STOP_WORDS.has(lower)) return null;
  return lower.length > 3 && lower.endsWith('s') && !lower.endsWith('ss') ? lower.slice(0, -1) : lower;
}

export function queryTerms(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s\p{P}\p{S}]+/u)
        .map(normaliseTerm)
        .filter((t): t is string => t !== null),
    ),
  ];
}

/**
 * BM25 ranking (MiniSearch) over the corpus, with exact names and titles boosted and mild prefix/fuzzy
 * matching for longer words. Ties are broken by document id so the same question always ranks the same way.
 */
export class KnowledgeIndex {
  private readonly search: MiniSearch<KnowledgeDoc>;
  private readonly byId: ReadonlyMap<string, KnowledgeDoc>;

  constructor(readonly docs: readonly KnowledgeDoc[]) {
    this.byId = new Map(docs.map((doc) => [doc.id, doc]));
    this.search = new MiniSearch<KnowledgeDoc>({
      fields: ['title', 'names', 'text'],
      extractField: (doc, field) =>
        field === 'text' ? doc.lines.join('\n') : String(doc[field as keyof KnowledgeDoc]),
      processTerm: normaliseTerm,
      searchOptions: {
        boost: { names: 2, title: 1.5 },
        prefix: (term) => term.length >= 4,
        fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
        combineWith: 'OR',
        // 184 one-paragraph registry rows would otherwise outrank the prose that explains a feature.
        boostDocument: (id) => (String(id).startsWith('identifier:') ? IDENTIFIER_BOOST : 1),
      },
    });
    this.search.addAll([...docs]);
  }

  query(text: string, options: { kinds?: readonly KnowledgeKind[]; limit?: number } = {}): SearchHit[] {
    const hits = this.search
      .search(
        text,
        options.kinds ? { filter: (r) => options.kinds!.includes(this.byId.get(r.id)!.kind) } : {},
      )
      .map((r) => ({ doc: this.byId.get(r.id)!, score: Math.round(r.score * 1e6) / 1e6 }))
      .sort((a, b) => b.score - a.score || (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
    return hits.slice(0, options.limit ?? hits.length);
  }
}
