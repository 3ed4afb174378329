import { findByName, type NameMatch } from './lookup.js';
import { IDENTIFIERS } from './table.js';
import type { Family, IdentifierEntry } from './types.js';

/** An identifier named somewhere in free text (a question, a log line), with the exact text that named it. */
export interface IdentifierMention extends NameMatch {
  /** The text as written, e.g. `__Host-hexclave-refresh-<id>--default` or `STACK_EMAIL_HOST`. */
  readonly text: string;
  /** True when the text used a placeholder (`<id>`, `{projectId}`, `…`) instead of a concrete value. */
  readonly placeholder: boolean;
}

// Placeholders people write in place of a template parameter: <id>, {projectId}, [domain], …, *.
const PLACEHOLDER = /<[^<>\s]*>|\{[^{}\s]*\}|\[[^[\]\s]*\]|…|\.\.\.|\*/g;
const MARK = '\u0000';

/** Bare lowercase words (`stack`, `hexclave`, `stackframe`) only count when quoted in backticks. */
function isBareWord(text: string): boolean {
  return /^[a-z]+$/.test(text);
}

function formsOf(entry: IdentifierEntry): Array<[string, Family]> {
  const forms: Array<[string, Family]> = [[entry.old, 'stack']];
  for (const alias of entry.oldAliases ?? []) forms.push([alias, 'stack']);
  if (entry.new !== null) forms.push([entry.new, 'hexclave']);
  return forms;
}

/** Match a name written with placeholders against templates by shape: `<id>` stands for any `{param}`. */
function findByShape(text: string): NameMatch[] {
  const bare = text.startsWith('__Host-') ? text.slice('__Host-'.length) : text;
  const written = bare.match(PLACEHOLDER) ?? [];
  const shape = bare.replace(PLACEHOLDER, MARK).toLowerCase();
  const matches: NameMatch[] = [];
  for (const entry of IDENTIFIERS) {
    if (bare !== text && !entry.securePrefix) continue;
    for (const [form, family] of formsOf(entry)) {
      const names = [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      if (names.length !== written.length || names.length === 0) continue;
      if (form.replace(/\{\w+\}/g, MARK).toLowerCase() !== shape) continue;
      const params = Object.fromEntries(names.map((name, i) => [name, written[i]!]));
      matches.push({ entry, family, params, matchedForm: form });
      break;
    }
  }
  return matches;
}

/** Literal characters of a form: `stack-refresh-{projectId}--default` beats `stack-refresh-{projectId}`. */
const literalLength = (form: string) => form.replace(/\{\w+\}/g, '').length;

/** When one name fits several templates, only the tightest fits describe it. */
function mostSpecific(matches: NameMatch[]): NameMatch[] {
  const best = Math.max(...matches.map((m) => literalLength(m.matchedForm)));
  return matches.filter((m) => literalLength(m.matchedForm) === best);
}

/** Candidate identifier spellings in free text: whitespace-separated words without wrapping punctuation. */
function candidates(text: string): Array<{ text: string; quoted: boolean }> {
  const out: Array<{ text: string; quoted: boolean }> = [];
  for (const match of text.matchAll(/`([^`]+)`|[^\s`'"(),;]+/g)) {
    const quoted = match[1] !== undefined;
    for (const part of (match[1] ?? match[0]).split(/[=\s]/)) {
      // Sentence punctuation and markdown emphasis are never part of an identifier.
      const trimmed = part.replace(/^\*+|[.:?!*]+$/g, '');
      if (trimmed.length >= 2) out.push({ text: trimmed, quoted });
    }
  }
  return out;
}

/**
 * Every registry identifier named in free text, in order of first appearance, one mention per entry.
 * Concrete instances (`STACK_EMAIL_HOST`, `stack-refresh-abc--default`) and placeholder spellings
 * (`__Host-hexclave-refresh-<id>--default`) both count.
 */
export function findIdentifierMentions(text: string): IdentifierMention[] {
  const seen = new Set<string>();
  const mentions: IdentifierMention[] = [];
  for (const candidate of candidates(text)) {
    if (isBareWord(candidate.text) && !candidate.quoted) continue;
    const exact = findByName(candidate.text);
    const placeholder = exact.length === 0;
    const matches = mostSpecific(placeholder ? findByShape(candidate.text) : exact);
    for (const match of matches) {
      if (seen.has(match.entry.id)) continue;
      seen.add(match.entry.id);
      mentions.push({ ...match, text: candidate.text, placeholder });
    }
  }
  return mentions;
}
