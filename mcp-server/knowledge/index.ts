import MiniSearch from 'minisearch';
import { IDENTIFIERS } from '../../shared/registry/index.js';
import {
  type AnswerCitation,
  type AnswerContext,
  type AnswerIdentifier,
  answerQuestion,
  type DeterministicAnswer,
  MAX_ANSWER_CHARS,
  type QuestionType,
  RELEVANCE_THRESHOLD,
} from './answer.js';
import {
  buildCorpus,
  type DocPage,
  docPagePaths,
  KNOWLEDGE_DIR,
  type KnowledgeDoc,
  loadPage,
} from './corpus.js';
import { KnowledgeIndex } from './search.js';

export type { AnswerCitation, AnswerIdentifier, DeterministicAnswer, DocPage, KnowledgeDoc, QuestionType };
export { KNOWLEDGE_DIR, MAX_ANSWER_CHARS, RELEVANCE_THRESHOLD };

/**
 * The bundled, offline knowledge base. Nothing is read or indexed until first needed, so a server that is only
 * asked for its tool list starts without it.
 */
export class KnowledgeBase {
  private context: AnswerContext | undefined;
  private names: MiniSearch<{ id: string; forms: string }> | undefined;
  private readonly pageCache = new Map<string, DocPage>();

  /**
   * @param root package root (pages are read from it lazily), or the pages themselves (tests).
   */
  constructor(private readonly source: string | readonly DocPage[]) {}

  static fromPackage(root: string): KnowledgeBase {
    return new KnowledgeBase(root);
  }

  /** Paths of every page a client can open (README.md, docs/*.md, docs/knowledge/*.md). */
  pagePaths(): string[] {
    return typeof this.source === 'string' ? docPagePaths(this.source) : this.source.map((p) => p.path);
  }

  page(path: string): DocPage {
    const cached = this.pageCache.get(path);
    if (cached) return cached;
    const page =
      typeof this.source === 'string'
        ? loadPage(this.source, path)
        : this.source.find((p) => p.path === path);
    if (!page) throw new Error(`No documentation page ${path}.`);
    this.pageCache.set(path, page);
    return page;
  }

  private answering(): AnswerContext {
    if (!this.context) {
      const pages = this.pagePaths()
        .filter((path) => path.startsWith(`${KNOWLEDGE_DIR}/`))
        .map((path) => this.page(path));
      const corpus = buildCorpus(pages);
      const topics = pages
        .map((p) => /^#\s+(.+)$/m.exec(p.content)?.[1]?.trim())
        .filter((t): t is string => t !== undefined);
      this.context = { corpus, index: new KnowledgeIndex(corpus.ranked), topics };
    }
    return this.context;
  }

  /** Every passage the answers are drawn from (the knowledge pages, registry categories, mirror tables). */
  passages(): readonly KnowledgeDoc[] {
    return this.answering().corpus.ranked;
  }

  answer(question: string): DeterministicAnswer {
    return answerQuestion(this.answering(), question);
  }

  /** Registry entries resembling a name that matched nothing, for "did you mean" hints. */
  similarIdentifiers(name: string, limit = 5): string[] {
    this.names ??= (() => {
      const index = new MiniSearch<{ id: string; forms: string }>({
        fields: ['forms'],
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term.toLowerCase(),
        searchOptions: { fuzzy: 0.34, prefix: true, tokenize: (text) => [text] },
      });
      index.addAll(
        IDENTIFIERS.map((e) => ({
          id: e.id,
          forms: [e.old, ...(e.oldAliases ?? []), e.new ?? ''].join(' '),
        })),
      );
      return index;
    })();
    return this.names
      .search(name.trim())
      .sort((a, b) => b.score - a.score || String(a.id).localeCompare(String(b.id)))
      .slice(0, limit)
      .map((hit) => String(hit.id));
  }
}
