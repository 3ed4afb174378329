import MiniSearch from 'minisearch';
import { IDENTIFIERS } from '../../shared/registry/index.js';
import {
  type AnswerCitation,
  type AnswerIdentifier,
  answerQuestion,
  type DeterministicAnswer,
} from './answer.js';
import { buildCorpus, type DocPage, type KnowledgeDoc, loadDocPages, mirrorTableFacts } from './corpus.js';
import { KnowledgeIndex } from './search.js';

export type { AnswerCitation, AnswerIdentifier, DeterministicAnswer, DocPage, KnowledgeDoc };
export { mirrorTableFacts };

/** The bundled, offline knowledge base: built once per server from the package's own docs. */
export class KnowledgeBase {
  private readonly index: KnowledgeIndex;
  /** Whole identifier names as single terms, so a misspelt name is a few edits from the right one. */
  private readonly names: MiniSearch<{ id: string; forms: string }>;

  constructor(readonly pages: readonly DocPage[]) {
    this.index = new KnowledgeIndex(buildCorpus(pages));
    this.names = new MiniSearch({
      fields: ['forms'],
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term.toLowerCase(),
      searchOptions: { fuzzy: 0.34, prefix: true, tokenize: (text) => [text] },
    });
    this.names.addAll(
      IDENTIFIERS.map((e) => ({ id: e.id, forms: [e.old, ...(e.oldAliases ?? []), e.new ?? ''].join(' ') })),
    );
  }

  static fromPackage(root: string): KnowledgeBase {
    return new KnowledgeBase(loadDocPages(root));
  }

  answer(question: string): DeterministicAnswer {
    return answerQuestion(this.index, question);
  }

  /** Registry entries resembling a name that matched nothing, for "did you mean" hints. */
  similarIdentifiers(name: string, limit = 5): string[] {
    return this.names
      .search(name.trim())
      .sort((a, b) => b.score - a.score || String(a.id).localeCompare(String(b.id)))
      .slice(0, limit)
      .map((hit) => String(hit.id));
  }
}
