import MiniSearch from 'minisearch';
import type { KnowledgeDoc } from './corpus.js';
import { synonymsOf } from './synonyms.js';
import { isGeneric, words } from './terms.js';

/** What a question asks for, as search terms. */
export interface QueryTerms {
  /** Stemmed content words (stop words removed), each with the synonyms that also match it. */
  readonly words: readonly string[];
  /** Identifier tokens written in the question or named by it (registry forms of a mentioned identifier). */
  readonly ids: readonly string[];
}

export interface SearchHit {
  readonly doc: KnowledgeDoc;
  /** BM25 score scaled by how much of the question the passage covers. */
  readonly score: number;
  /** Share of the question's weighted content terms the passage covers, 0…1. */
  readonly coverage: number;
  /** Question terms (words and ids) the passage covers. */
  readonly covered: readonly string[];
}

const FIELD_BOOST = { ids: 3, title: 2, text: 1 };
const KNOWN_TERM_WEIGHT_CAP = 3;
/** Each pair of the question's words that a heading has side by side ("query profiling retry") adds this much. */
const TITLE_PHRASE_BONUS = 0.5;

/** Adjacent content words of the question, in order: the phrases it is made of. */
function phrasePairs(questionWords: readonly string[]): string[] {
  const content = questionWords.filter((w) => !isGeneric(w));
  return content.slice(1).map((w, i) => `${content[i]} ${w}`);
}

function titlePhraseMatches(doc: KnowledgeDoc, pairs: readonly string[]): number {
  if (pairs.length === 0) return 0;
  const title = ` ${words(doc.title).join(' ')} `;
  return pairs.filter((pair) => title.includes(` ${pair} `)).length;
}

interface Indexed {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly ids: string;
}

/**
 * BM25 over the answering corpus (MiniSearch), with identifier tokens in a field of their own and every question
 * term weighted by how rare it is. Relevance is also measured as coverage: the share of the question's rare terms
 * a passage contains (a synonym counts), with terms the corpus has never seen weighing most — which is what lets
 * ask_hexclave say "not covered" instead of quoting a passage that shares only common words with the question.
 */
export class KnowledgeIndex {
  private readonly search: MiniSearch<Indexed>;
  private readonly byId: ReadonlyMap<string, KnowledgeDoc>;
  private readonly termsOf: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly documentFrequency = new Map<string, number>();

  constructor(readonly docs: readonly KnowledgeDoc[]) {
    this.byId = new Map(docs.map((doc) => [doc.id, doc]));
    this.termsOf = new Map(
      docs.map((doc) => [
        doc.id,
        new Set([...words(`${doc.topic}\n${doc.title}\n${doc.searchText ?? doc.body}`), ...doc.ids]),
      ]),
    );
    for (const terms of this.termsOf.values()) {
      for (const term of terms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    this.search = new MiniSearch<Indexed>({
      fields: ['title', 'text', 'ids'],
      tokenize: (text, field) => (field === 'ids' ? text.split(' ').filter(Boolean) : words(text)),
      processTerm: (term) => term,
      searchOptions: {
        tokenize: (text) => text.split(' ').filter(Boolean),
        processTerm: (term) => term,
        boost: FIELD_BOOST,
        combineWith: 'OR',
      },
    });
    this.search.addAll(
      // A passage belongs to its page: the page's topic counts as part of its title.
      docs.map((doc) => ({
        id: doc.id,
        title: `${doc.topic}\n${doc.title}`,
        text: doc.searchText ?? doc.body,
        ids: doc.ids.join(' '),
      })),
    );
  }

  get size(): number {
    return this.docs.length;
  }

  /** Inverse document frequency; a term no passage contains weighs as much as the rarest possible one. */
  idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.docs.length + 1) / (df + 0.5));
  }

  knows(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  /**
   * A term's weight: the idf of the most common of its spellings the corpus knows (synonyms included), capped —
   * a word the knowledge base uses, however rarely, says less about a question being out of scope than a word it
   * has never seen, which weighs the most.
   */
  weight(term: string): number {
    const known = [term, ...synonymsOf(term)].filter((t) => this.knows(t));
    if (known.length === 0) return this.idf(term);
    return Math.min(KNOWN_TERM_WEIGHT_CAP, ...known.map((t) => this.idf(t)));
  }

  /** Terms that decide relevance: content words that are not the product's own name, and identifier tokens. */
  contentTerms(terms: QueryTerms): string[] {
    return [...terms.words.filter((w) => !isGeneric(w)), ...terms.ids];
  }

  covers(doc: KnowledgeDoc, term: string): boolean {
    const own = this.termsOf.get(doc.id)!;
    return own.has(term) || synonymsOf(term).some((s) => own.has(s));
  }

  coverageOf(doc: KnowledgeDoc, terms: QueryTerms): { coverage: number; covered: string[] } {
    const content = this.contentTerms(terms);
    if (content.length === 0) return { coverage: 0, covered: [] };
    let total = 0;
    let hit = 0;
    const covered: string[] = [];
    for (const term of content) {
      const weight = this.weight(term);
      total += weight;
      if (this.covers(doc, term)) {
        hit += weight;
        covered.push(term);
      }
    }
    return { coverage: hit / total, covered };
  }

  query(terms: QueryTerms, filter: (doc: KnowledgeDoc) => boolean = () => true): SearchHit[] {
    const expanded = new Map<string, number>();
    for (const w of terms.words) {
      const base = isGeneric(w) ? 0.3 : 1;
      expanded.set(w, Math.max(expanded.get(w) ?? 0, base));
      for (const s of synonymsOf(w)) expanded.set(s, Math.max(expanded.get(s) ?? 0, base * 0.6));
    }
    for (const id of terms.ids) expanded.set(id, 1.5);
    if (expanded.size === 0) return [];
    const list = [...expanded.keys()];
    const results = this.search.search(list.join(' '), {
      boostTerm: (term) => expanded.get(term) ?? 1,
      filter: (r) => filter(this.byId.get(r.id)!),
    });
    const pairs = phrasePairs(terms.words);
    return results
      .map((r) => {
        const doc = this.byId.get(r.id)!;
        const { coverage, covered } = this.coverageOf(doc, terms);
        const phrase = 1 + TITLE_PHRASE_BONUS * titlePhraseMatches(doc, pairs);
        return {
          doc,
          coverage,
          covered,
          score: Math.round(r.score * (0.25 + coverage) * phrase * 1e6) / 1e6,
        };
      })
      .sort((a, b) => b.score - a.score || (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
  }
}
