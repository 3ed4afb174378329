import {
  fillTemplate,
  findIdentifierMentions,
  type IdentifierMention,
  type Policy,
} from '../../shared/registry/index.js';
import type { Corpus, KnowledgeDoc, KnowledgeKind } from './corpus.js';
import { identifierFacts } from './identifier-facts.js';
import { MAX_ANSWER_CHARS, RELEVANCE_THRESHOLD } from './limits.js';
import type { KnowledgeIndex, QueryTerms, SearchHit } from './search.js';
import { rewritePhrases } from './synonyms.js';
import { identifierTokens, normaliseIdentifier, queryWords } from './terms.js';

export type QuestionType = 'identifier' | 'concept' | 'how-to' | 'out-of-domain';

export interface AnswerIdentifier {
  readonly id: string;
  /** The identifier as the question wrote it. */
  readonly asWritten: string;
  readonly family: 'stack' | 'hexclave';
  readonly params: Readonly<Record<string, string>>;
  readonly old: string;
  readonly new: string | null;
  /** The other family's spelling of exactly what was written (parameters filled in), or null when frozen. */
  readonly twin: string | null;
  readonly category: string;
  readonly policy: Policy;
}

export interface AnswerCitation {
  readonly ref: number;
  readonly kind: KnowledgeKind;
  readonly source: string;
}

/** The deterministic part of an answer: a pure function of the question and the bundled knowledge. */
export interface DeterministicAnswer {
  readonly answer: string;
  /** False when the question is outside what the knowledge base covers; the answer then says so. */
  readonly covered: boolean;
  readonly questionType: QuestionType;
  readonly identifiers: readonly AnswerIdentifier[];
  readonly citations: readonly AnswerCitation[];
  /** True when the answer hit its size cap and left passages or identifiers out (the text says so). */
  readonly truncated: boolean;
}

/** Further passages must score this close to the best one, and add something it lacks. */
const SUPPORT_SCORE_SHARE = 0.45;
/** …and cover nearly as much of the question as the best one. */
const SUPPORT_COVERAGE_SHARE = 0.6;
/** …unless it scores this close, when it may add detail on the same terms. */
const CLOSE_SCORE_SHARE = 0.5;
/** Two passages sharing this much of their vocabulary say the same thing: quote one. */
const DUPLICATE_OVERLAP = 0.6;
const MAX_PASSAGES = 3;
const MAX_RELATED_PASSAGES = 2;
const MAX_IDENTIFIERS = 5;

function twinOf(mention: IdentifierMention): string | null {
  const { entry, family, params, text } = mention;
  const other = family === 'stack' ? entry.new : entry.old;
  if (other === null) return null;
  const filled = Object.keys(params).length > 0 ? fillTemplate(other, params) : other;
  return text.startsWith('__Host-') ? `__Host-${filled}` : filled;
}

/** Internal source references (`js108:CAI:564-566`, `sh102:…`) mean nothing to a reader: never quote them. */
export function sanitise(text: string): string {
  return text
    .replace(/\s*\(?`?\b(?:js|sh)10\d:[^\s`)]*`?\)?/g, '')
    .replace(/\s*\(`?[A-Z]{2,3}:\d+(?:[-,]\d+)*`?\)/g, '')
    .replace(/[ \t]+\n/g, '\n');
}

/** "List every …", "all the …": a registry listing answers better than prose. */
const LISTING = /\b(list|all|every)\b/i;

function preferListings(hits: readonly SearchHit[]): SearchHit[] {
  const best = hits[0]?.score ?? 0;
  return [...hits]
    .map((h) => (h.doc.kind === 'registry' && h.score >= best * 0.3 ? { ...h, score: h.score * 3 } : h))
    .sort((a, b) => b.score - a.score);
}

const HOW_TO =
  /^\s*(how (do|can|should|would) (i|we|you)|how to|what('s| is) the command|steps? to|where do i)\b/i;

function questionType(question: string, mentions: readonly IdentifierMention[]): QuestionType {
  if (mentions.length > 0) return 'identifier';
  return HOW_TO.test(question) ? 'how-to' : 'concept';
}

function termsOf(question: string, mentions: readonly IdentifierMention[]): QueryTerms {
  const rewritten = rewritePhrases(question);
  const ids = new Set(identifierTokens(question));
  for (const m of mentions) {
    for (const form of [m.entry.old, ...(m.entry.oldAliases ?? []), ...(m.entry.new ? [m.entry.new] : [])]) {
      ids.add(normaliseIdentifier(form));
    }
  }
  // Words inside a named identifier are its name, not the question's topic (`stack`, `access`, `token`).
  const prose = mentions.reduce((text, m) => text.split(m.text).join(' '), rewritten);
  return { words: queryWords(prose), ids: [...ids] };
}

function vocabulary(doc: KnowledgeDoc): Set<string> {
  return new Set(queryWords(`${doc.title} ${doc.body}`));
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.min(a.size, b.size);
}

/**
 * The passages that answer: the best one, then others that score close to it, cover a question term it lacks,
 * and do not repeat it — at most `limit`.
 */
function pickPassages(hits: readonly SearchHit[], limit: number): SearchHit[] {
  const best = hits[0];
  if (!best) return [];
  const picked: SearchHit[] = [best];
  const vocabularies = [vocabulary(best.doc)];
  const covered = new Set(best.covered);
  for (const hit of hits.slice(1)) {
    if (picked.length >= limit) break;
    if (hit.score < best.score * SUPPORT_SCORE_SHARE) break;
    if (hit.coverage < Math.max(RELEVANCE_THRESHOLD, best.coverage * SUPPORT_COVERAGE_SHARE)) continue;
    if (!hit.covered.some((t) => !covered.has(t)) && hit.score < best.score * CLOSE_SCORE_SHARE) continue;
    const own = vocabulary(hit.doc);
    if (vocabularies.some((v) => overlap(v, own) >= DUPLICATE_OVERLAP)) continue;
    picked.push(hit);
    vocabularies.push(own);
    for (const t of hit.covered) covered.add(t);
  }
  return picked;
}

function identifierSection(mention: IdentifierMention, ref: number): string {
  const { entry, params, text, placeholder } = mention;
  const twin = twinOf(mention);
  const paramText = Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const form = mention.matchedForm;
  const instance =
    text === form
      ? ''
      : ` — ${placeholder ? 'written with a placeholder for' : 'a concrete instance of'} \`${form}\`${paramText ? ` (${paramText})` : ''}`;
  const head = `- \`${text}\`${instance}: ${twin ? `its twin is \`${twin}\`` : 'it has no hexclave twin'}. [${ref}]`;
  // The first fact restates old → new, which the head line already gives for the exact name written.
  return [
    head,
    ...identifierFacts(entry)
      .slice(1)
      .map((fact) => `  ${sanitise(fact)}`),
  ].join('\n');
}

function passageBlock(doc: KnowledgeDoc, ref: number): string {
  return `**${doc.heading}** [${ref}]\n${sanitise(doc.body)}`;
}

/** Cut a passage that alone is larger than the budget at a sentence or line end, and say so. */
function clipToBudget(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.slice(0, budget);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('\n'));
  return `${cut.slice(0, end > budget / 2 ? end + 1 : budget).trimEnd()} … (passage shortened; open the source for the rest)`;
}

export function coveredTopics(knowledgeTopics: readonly string[]): string {
  return [
    ...knowledgeTopics.map((t) => t.charAt(0).toLowerCase() + t.slice(1)),
    'every old `stack` identifier and its `hexclave` twin (the identifier registry)',
    "the mirror's table schemas",
  ].join('; ');
}

function declined(topics: readonly string[]): string {
  return [
    '**Not covered.** Nothing in the bundled knowledge base answers that question, so this assistant will not guess.',
    '',
    `It answers from Hexclave Companion's own sources: ${coveredTopics(topics)}.`,
    'It does not know the hosted Hexclave product beyond the rename and the sync (plans, prices, other auth features), does not browse the web and does not see your code. Name an identifier (`x-stack-access-token`, `STACK_PROJECT_ID`) or ask about the rename, the sync, the emulator, the checker or setup.',
  ].join('\n');
}

export interface AnswerContext {
  readonly index: KnowledgeIndex;
  readonly corpus: Corpus;
  /** Titles of the knowledge pages, for "what is covered". */
  readonly topics: readonly string[];
}

/**
 * Answer a question offline. Identifiers named in it are answered from the registry (always, whatever the
 * ranking says); the rest from the best passages, whole, with their citations — or, when no passage covers the
 * question well enough, a plain "not covered" that says what is.
 */
export function answerQuestion(context: AnswerContext, question: string): DeterministicAnswer {
  const { index, corpus } = context;
  const mentions = findIdentifierMentions(question);
  const terms = termsOf(question, mentions);
  let type = questionType(question, mentions);

  let passages: SearchHit[];
  if (mentions.length > 0) {
    // Named identifiers already have their registry answer; add the passages that discuss them (or the rest of
    // the question) closely, never a whole category listing.
    const mentionIds = new Set(terms.ids);
    const hits = index.query(terms, (doc) => doc.kind === 'doc');
    passages = pickPassages(
      hits.filter((h) => h.doc.ids.some((id) => mentionIds.has(id)) || h.coverage >= RELEVANCE_THRESHOLD),
      MAX_RELATED_PASSAGES,
    );
  } else {
    const all = index.query(terms);
    const hasContent = index.contentTerms(terms).length > 0;
    const hits = hasContent ? all.filter((h) => h.coverage >= RELEVANCE_THRESHOLD) : all;
    passages = pickPassages(LISTING.test(question) ? preferListings(hits) : hits, MAX_PASSAGES);
    if (passages.length === 0) type = 'out-of-domain';
  }

  if (mentions.length === 0 && passages.length === 0) {
    return {
      answer: declined(context.topics),
      covered: false,
      questionType: 'out-of-domain',
      identifiers: [],
      citations: [],
      truncated: false,
    };
  }

  const citations: AnswerCitation[] = [];
  const cite = (kind: KnowledgeKind, source: string) => {
    citations.push({ ref: citations.length + 1, kind, source });
    return citations.length;
  };
  const blocks: string[] = [];
  let budget = MAX_ANSWER_CHARS - 400; // room for the sources list
  let truncated = false;
  const shown = mentions.slice(0, MAX_IDENTIFIERS);
  if (shown.length > 0) {
    blocks.push('**Identifiers in your question** (from the identifier registry)');
    for (const mention of shown) {
      const doc = corpus.identifiers.get(mention.entry.id)!;
      const section = identifierSection(mention, citations.length + 1);
      if (section.length > budget && blocks.length > 1) {
        truncated = true;
        break;
      }
      cite('identifier', doc.citation);
      blocks.push(clipToBudget(section, budget));
      budget -= section.length;
    }
    if (mentions.length > shown.length) {
      truncated = true;
      blocks.push(
        `- … and ${mentions.length - shown.length} more identifiers: look them up with lookup_identifier.`,
      );
    }
  }
  for (const [i, hit] of passages.entries()) {
    const block = passageBlock(hit.doc, citations.length + 1);
    if (block.length > budget && (i > 0 || shown.length > 0)) {
      truncated = true;
      break;
    }
    cite(hit.doc.kind, hit.doc.citation);
    blocks.push(clipToBudget(block, budget));
    budget -= block.length;
  }
  const sources = citations.map((c) => `[${c.ref}] ${c.source}`);
  const answer = [...blocks.flatMap((b, i) => (i === 0 ? [b] : ['', b])), '', 'Sources:', ...sources].join(
    '\n',
  );
  return {
    answer,
    covered: true,
    questionType: type,
    identifiers: mentions.map((m) => ({
      id: m.entry.id,
      asWritten: m.text,
      family: m.family,
      params: m.params,
      old: m.entry.old,
      new: m.entry.new,
      twin: twinOf(m),
      category: m.entry.category,
      policy: m.entry.policy,
    })),
    citations,
    truncated,
  };
}
