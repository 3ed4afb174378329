import { stemmer } from 'stemmer';

/**
 * How ask_hexclave turns text into search terms, shared by indexing, search and relevance scoring so both sides
 * always agree. Two kinds of term:
 *
 * - **words**: lower-cased, stemmed (Porter: `deployed` → `deploi`, `retries` → `retri`), stop words dropped;
 * - **identifier tokens**: a name such as `x-stack-access-token`, `STACK_SECRET_SERVER_KEY`,
 *   `__Host-hexclave-refresh-<id>--default` or `https://api.hexclave.com/api/v1/projects/{projectId}` kept whole,
 *   lower-cased, with any placeholder (`<id>`, `{projectId}`, `[domain]`, `*`, `…`) written as `{}` — so a
 *   question's spelling matches the knowledge base's. Their parts also count as words.
 */

// Words that carry no meaning in a question; dropping them keeps "how do I …" from ranking every page.
const STOP_WORDS = new Set(
  (
    'a about after all also am an and any are as at be been before being both but by can could did do does doing for ' +
    'from had has have having he her here how i if in into is it its just me more most my no nor not of on once only ' +
    'or other our out over own same she should so some such than that the their them then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would ' +
    'you your yours whose between within without across via per among upon onto whether either neither ' +
    'e g eg ie etc s t'
  ).split(' '),
);

/**
 * Words that name the product or ask the question rather than say what it is about. They still rank passages,
 * but a passage does not become relevant by matching them alone: every passage is about Hexclave.
 */
const GENERIC_WORDS = new Set(
  [
    'hexclave',
    'stack',
    'auth',
    'stackauth',
    'companion',
    'new',
    'old',
    'use',
    'work',
    'need',
    'want',
    'happen',
    'mean',
    'thing',
    'way',
    'still',
    'now',
    'get',
    'make',
    'know',
    'tell',
    'explain',
    'like',
    'much',
    'mani',
    'one',
    'keep',
    'go',
    'let',
    'see',
    'show',
    'give',
    'list',
    'every',
  ].map((w) => stemmer(w)),
);

/** Placeholders people write for a parameter: <id>, {projectId}, [domain], …, *. */
const PLACEHOLDER = /<[^<>\s]*>|\{[^{}\s]*\}|\[[^[\]\s]*\]|…|\.\.\.|\*/g;

/** A run of characters that can form an identifier, URL or version. */
const ID_CANDIDATE = /[A-Za-z0-9_$.:/@{}<>[\]*…#?=&%+-]+/g;

export function normaliseIdentifier(raw: string): string {
  return (
    raw
      .replace(/^[^A-Za-z0-9_{<[*…$@]+/, '')
      .replace(/[.:,;?!)]+$/, '')
      .replace(PLACEHOLDER, '{}')
      // A bare prefix names the family: `STACK_` is `STACK_*`, `x-hexclave-` is `x-hexclave-*`.
      .replace(/(?<=[A-Za-z0-9])[-_]$/, (sep) => `${sep}{}`)
      .toLowerCase()
  );
}

/** Identifier tokens in a text: names with `-`, `_`, `.`, `/` or a placeholder, never plain words or sentence ends. */
export function identifierTokens(text: string): string[] {
  const out = new Set<string>();
  // Markdown emphasis (`**dual-accept**`) is not part of a name; a lone `*` is a placeholder (`x-stack-*`).
  for (const match of text.replace(/\*\*|__(?=\s|$)/g, ' ').matchAll(ID_CANDIDATE)) {
    const token = normaliseIdentifier(match[0]);
    // English compounds (`read-only`, `dual-write`, `out-of-order`) are words, not names.
    if (/^[a-z]+(-[a-z]+)+$/.test(token) && !/stack|hexclave/.test(token)) continue;
    // Needs a letter or digit on both sides of a separator: `x-stack-auth`, `2.8.108`, `stack.config.ts`.
    if (!/[a-z0-9{}][-_./:][a-z0-9{}_]/.test(token) && !/^_[a-z]/.test(token) && !token.includes('{}'))
      continue;
    if (/^(e\.g|i\.e|etc)$/.test(token) || token.length < 3) continue;
    out.add(token);
    if (token.startsWith('__host-')) out.add(token.slice('__host-'.length));
    const url = /^https?:\/\/([^/]+)/.exec(token);
    if (url) out.add(url[1]!);
  }
  return [...out];
}

export function stem(word: string): string {
  return stemmer(word.toLowerCase());
}

/** Compounds read as one word on both sides (`read-only` and `read only` are `readonly`). */
const COMPOUNDS: ReadonlyArray<readonly [RegExp, string]> = [[/\bread[- ]only\b/gi, 'readonly']];

/** Stemmed words of a text, stop words and one-letter tokens dropped, duplicates kept (for term frequency). */
export function words(text: string): string[] {
  const out: string[] = [];
  const joined = COMPOUNDS.reduce((t, [pattern, word]) => t.replace(pattern, word), text);
  for (const raw of joined.split(/[^\p{L}\p{N}]+/u)) {
    const lower = raw.toLowerCase();
    if (lower.length < 2 || STOP_WORDS.has(lower)) continue;
    out.push(stemmer(lower));
  }
  return out;
}

/** Distinct stemmed words of a question. */
export function queryWords(text: string): string[] {
  return [...new Set(words(text))];
}

export function isGeneric(term: string): boolean {
  return GENERIC_WORDS.has(term);
}
