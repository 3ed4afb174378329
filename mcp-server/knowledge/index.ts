import { IDENTIFIERS } from '../../shared/registry/index.js';
import type {
  AnswerCitation,
  AnswerContext,
  AnswerIdentifier,
  DeterministicAnswer,
  QuestionType,
} from './answer.js';
import type { KnowledgeDoc } from './corpus.js';
import { MAX_ANSWER_CHARS, RELEVANCE_THRESHOLD } from './limits.js';
import { type DocPage, docPagePaths, KNOWLEDGE_DIR, loadPage } from './pages.js';

export type { AnswerCitation, AnswerIdentifier, DeterministicAnswer, DocPage, KnowledgeDoc, QuestionType };
export { KNOWLEDGE_DIR, MAX_ANSWER_CHARS, RELEVANCE_THRESHOLD };

interface Engine {
  readonly context: AnswerContext;
  answer(question: string): DeterministicAnswer;
}

/**
 * The bundled, offline knowledge base. Nothing is read, indexed or even loaded (MiniSearch, the stemmer, the
 * corpus) until a question is asked, so a server that is only asked for its tool list starts without it.
 */
export class KnowledgeBase {
  private engine: Promise<Engine> | undefined;
  private names: Promise<(name: string, limit: number) => string[]> | undefined;
  private readonly pageCache = new Map<string, DocPage>();

  /** @param source the package root (pages are read from it when needed), or the pages themselves (tests). */
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

  private load(): Promise<Engine> {
    this.engine ??= (async () => {
      const [{ buildCorpus }, { KnowledgeIndex }, { answerQuestion }] = await Promise.all([
        import('./corpus.js'),
        import('./search.js'),
        import('./answer.js'),
      ]);
      const pages = this.pagePaths()
        .filter((path) => path.startsWith(`${KNOWLEDGE_DIR}/`) && path !== `${KNOWLEDGE_DIR}/README.md`)
        .map((path) => this.page(path));
      const corpus = buildCorpus(pages);
      const topics = pages
        .map((p) => /^#\s+(.+)$/m.exec(p.content)?.[1]?.trim().replace(/`/g, ''))
        .filter((t): t is string => t !== undefined);
      const context: AnswerContext = { corpus, index: new KnowledgeIndex(corpus.ranked), topics };
      return { context, answer: (question) => answerQuestion(context, question) };
    })();
    return this.engine;
  }

  /** Every passage the answers are drawn from (the knowledge pages, registry categories, mirror tables). */
  async passages(): Promise<readonly KnowledgeDoc[]> {
    return (await this.load()).context.corpus.ranked;
  }

  async answer(question: string): Promise<DeterministicAnswer> {
    return (await this.load()).answer(question);
  }

  /** Registry entries resembling a name that matched nothing, for "did you mean" hints. */
  async similarIdentifiers(name: string, limit = 5): Promise<string[]> {
    this.names ??= (async () => {
      const { default: MiniSearch } = await import('minisearch');
      // Whole identifier names as single terms, so a misspelt name is a few edits from the right one.
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
      return (query, max) =>
        index
          .search(query.trim())
          .sort((a, b) => b.score - a.score || String(a.id).localeCompare(String(b.id)))
          .slice(0, max)
          .map((hit) => String(hit.id));
    })();
    return (await this.names)(name, limit);
  }
}
