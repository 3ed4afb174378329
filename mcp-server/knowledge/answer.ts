import {
  fillTemplate,
  findIdentifierMentions,
  type IdentifierMention,
  type Policy,
} from '../../shared/registry/index.js';
import type { KnowledgeKind } from './corpus.js';
import { identifierFacts } from './identifier-facts.js';
import { type KnowledgeIndex, queryTerms, type SearchHit } from './search.js';

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
  readonly identifiers: readonly AnswerIdentifier[];
  readonly citations: readonly AnswerCitation[];
}

const MAX_PASSAGES = 3;
const MAX_LINES_PER_PASSAGE = 2;
const MAX_LINE_CHARS = 400;
/** Passages scoring below this share of the best one are noise, not support. */
const RELATIVE_SCORE_FLOOR = 0.25;
/** With identifiers named, related passages must be closer: the registry already answered the core. */
const RELATED_SCORE_FLOOR = 0.4;

function twinOf(mention: IdentifierMention): string | null {
  const { entry, family, params, text } = mention;
  const other = family === 'stack' ? entry.new : entry.old;
  if (other === null) return null;
  const filled = Object.keys(params).length > 0 ? fillTemplate(other, params) : other;
  return text.startsWith('__Host-') ? `__Host-${filled}` : filled;
}

function clip(line: string): string {
  if (line.startsWith('```')) return `\n${line}\n`;
  return line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS - 1).trimEnd()}…`;
}

/** The lines of a passage that share the most words with the question, in their original order. */
function bestLines(
  lines: readonly string[],
  terms: readonly string[],
  kind: KnowledgeKind,
  full: boolean,
): string[] {
  // A mirror table's summary and columns; the whole column list only when the question is about that table.
  if (kind === 'mirror-table') return full ? lines.slice(0, 3) : [lines[0]!, clip(lines[1]!)];
  const sentences = lines.flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z`*([])/));
  const scored = sentences.map((line, index) => {
    const words = new Set(queryTerms(line));
    const score = terms.filter(
      (t) => words.has(t) || [...words].some((w) => t.length >= 4 && w.startsWith(t)),
    ).length;
    return { line, index, score };
  });
  const picked = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_LINES_PER_PASSAGE)
    .sort((a, b) => a.index - b.index);
  return (picked.length > 0 ? picked : scored.slice(0, 1)).map((s) => clip(s.line));
}

function identifierSection(mention: IdentifierMention, ref: number): string[] {
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
      .map((fact) => `  ${fact}`),
  ];
}

/**
 * Answer a question offline: identifiers named in it come from the registry (always, whatever the ranking
 * says), then the best-ranked docs passages, registry entries and mirror tables, each with its citation.
 */
export function answerQuestion(index: KnowledgeIndex, question: string): DeterministicAnswer {
  const mentions = findIdentifierMentions(question);
  const mentioned = new Set(mentions.map((m) => `identifier:${m.entry.id}`));
  const terms = queryTerms(question);
  // Once the registry has answered for the named identifiers, other registry rows are mostly name collisions.
  const kinds: KnowledgeKind[] =
    mentions.length > 0 ? ['doc', 'mirror-table'] : ['doc', 'mirror-table', 'identifier'];
  // The named identifiers' own words (stack, project, id …) would drag in every lookalike: search without them.
  const rest = mentions.reduce((text, m) => text.split(m.text).join(' '), question);
  const ranked = index.query(rest, { kinds }).filter((hit) => !mentioned.has(hit.doc.id));
  const floor = (ranked[0]?.score ?? 0) * (mentions.length > 0 ? RELATED_SCORE_FLOOR : RELATIVE_SCORE_FLOOR);
  const passages: SearchHit[] = ranked.filter((hit) => hit.score >= floor).slice(0, MAX_PASSAGES);

  const citations: AnswerCitation[] = [];
  const cite = (kind: KnowledgeKind, source: string) => {
    citations.push({ ref: citations.length + 1, kind, source });
    return citations.length;
  };
  const out: string[] = [];
  if (mentions.length > 0) {
    out.push('**Identifiers in your question** (from the identifier registry)');
    for (const mention of mentions) {
      const ref = cite('identifier', `identifier registry › ${mention.entry.id} (${mention.entry.specRef})`);
      out.push(...identifierSection(mention, ref));
    }
  }
  if (passages.length > 0) {
    if (out.length > 0) out.push('');
    out.push(mentions.length > 0 ? '**Related**' : '**From the Hexclave Companion knowledge base**');
    for (const hit of passages) {
      const ref = cite(hit.doc.kind, hit.doc.citation);
      const full =
        hit.doc.kind === 'mirror-table' &&
        queryTerms(hit.doc.names.split(' ')[0]!).every((t) => terms.includes(t));
      const lines = bestLines(hit.doc.lines, terms, hit.doc.kind, full);
      // Continuation lines (code blocks) are indented so they stay inside the list item.
      const text = lines.join(' ').replace(/\n /g, '\n').trim();
      const cited = text.endsWith('```') ? `${text}\n[${ref}]` : `${text} [${ref}]`;
      out.push(`- ${cited}`.replace(/\n/g, '\n  '));
    }
  }
  if (out.length === 0) {
    out.push(
      'Nothing in the bundled knowledge base matches that question. This assistant answers offline from Hexclave Companion’s docs, the identifier registry and the mirror’s table schemas: name an identifier (`x-stack-access-token`, `STACK_PROJECT_ID`), a command (`sync`, `mcp`) or a mirror table (`users`).',
    );
  } else {
    out.push('', 'Sources:', ...citations.map((c) => `[${c.ref}] ${c.source}`));
  }
  return {
    answer: out.join('\n'),
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
  };
}
