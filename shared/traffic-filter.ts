import type { TrafficSummary } from './api/workspace-schemas.js';

/**
 * The Traffic screen's filter language, in the style of Chrome DevTools' Network filter:
 * space-separated terms that must all match; `key:value` terms, free text matched against the URL, `-` before
 * any term negates it, `a,b` (or `a|b`) inside a value means either, and double quotes keep spaces or colons
 * in one term (`"localhost:8080"`).
 */

type Matcher = (item: TrafficSummary) => boolean;

interface FilterKey {
  readonly key: string;
  readonly description: string;
  readonly example: string;
  /** Checked values, when the key only takes a fixed set. */
  readonly values?: readonly string[];
  /** Validate one alternative and build its matcher; return a string to report a problem. */
  readonly compile: (value: string) => Matcher | string;
}

const lower = (value: string) => value.toLowerCase();

function oneOf(key: string, values: readonly string[], read: (item: TrafficSummary) => string) {
  return (value: string): Matcher | string => {
    const wanted = lower(value);
    if (!values.includes(wanted))
      return `${key}:${value} is not a known value; use one of ${values.join(', ')}`;
    return (item) => read(item) === wanted;
  };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export const TRAFFIC_FILTER_KEYS: readonly FilterKey[] = [
  {
    key: 'method',
    description: 'HTTP method',
    example: 'method:POST',
    compile: (value) => {
      if (!/^[a-z]+$/i.test(value)) return `method:${value} is not an HTTP method; try method:POST`;
      const wanted = value.toUpperCase();
      return (item) => item.method.toUpperCase() === wanted;
    },
  },
  {
    key: 'status-code',
    description: 'response status: exact (401) or a class (4xx); "none" for no response',
    example: 'status-code:401',
    compile: (value) => {
      if (/^\d{3}$/.test(value)) {
        const wanted = Number(value);
        return (item) => item.status === wanted;
      }
      if (/^[1-5]xx$/i.test(value)) {
        const hundred = Number(value[0]);
        return (item) => item.status !== null && Math.floor(item.status / 100) === hundred;
      }
      if (lower(value) === 'none') return (item) => item.status === null;
      return `status-code:${value} is not a status; use three digits (401), a class (4xx) or none`;
    },
  },
  {
    key: 'domain',
    description: 'host of the URL; * matches any part',
    example: 'domain:*.example.com',
    compile: (value) => {
      const pattern = globToRegExp(value);
      return (item) => pattern.test(hostOf(item.url));
    },
  },
  {
    key: 'has-request-header',
    description: 'the request carries this header',
    example: 'has-request-header:x-stack-access-token',
    compile: (value) => {
      const wanted = lower(value);
      return (item) => item.requestHeaderNames.includes(wanted);
    },
  },
  {
    key: 'has-response-header',
    description: 'the response carries this header',
    example: 'has-response-header:x-hexclave-request-id',
    compile: (value) => {
      const wanted = lower(value);
      return (item) => item.responseHeaderNames.includes(wanted);
    },
  },
  {
    key: 'set-cookie-name',
    description: 'the response sets a cookie of this name; * matches any part',
    example: 'set-cookie-name:stack-refresh-*',
    compile: (value) => {
      const pattern = globToRegExp(value);
      return (item) => item.setCookieNames.some((name) => pattern.test(name));
    },
  },
  {
    key: 'family',
    description: 'which SDK family sent it: old (x-stack-*), new (x-hexclave-*), mixed, none',
    example: 'family:old',
    values: ['old', 'new', 'mixed', 'none'],
    compile: oneOf('family', ['old', 'new', 'mixed', 'none'], (item) => item.family),
  },
  {
    key: 'source',
    description:
      'which capturer saw it: proxy, overlay (in-page dev tool), window (app window), probe; a request several saw matches each',
    example: 'source:proxy',
    values: ['proxy', 'overlay', 'window', 'probe'],
    compile: (value) => {
      const known = oneOf('source', ['proxy', 'overlay', 'window', 'probe'], () => '')(value);
      if (typeof known === 'string') return known;
      const wanted = lower(value);
      return (item) => (item.sources ?? [item.source]).some((source) => source === wanted);
    },
  },
  {
    key: 'severity',
    description: 'the worst finding of the exchange: error, warning, info, not-checked, or none',
    example: 'severity:error',
    values: ['error', 'warning', 'info', 'not-checked', 'none'],
    compile: oneOf(
      'severity',
      ['error', 'warning', 'info', 'not-checked', 'none'],
      (item) => item.worst ?? 'none',
    ),
  },
];

const KEYS = new Map(TRAFFIC_FILTER_KEYS.map((k) => [k.key, k]));
const KEY_LIST = TRAFFIC_FILTER_KEYS.map((k) => `${k.key}:`).join(', ');

export interface FilterTerm {
  readonly negated: boolean;
  /** null for free text. */
  readonly key: string | null;
  readonly value: string;
}

export interface TrafficFilter {
  readonly terms: readonly FilterTerm[];
  matches(item: TrafficSummary): boolean;
}

export type ParsedTrafficFilter =
  | { readonly ok: true; readonly filter: TrafficFilter }
  | { readonly ok: false; readonly error: string };

interface Token {
  readonly text: string;
  /** A `-` stood before the term, outside quotes. */
  readonly negated: boolean;
  /** The term opened with a quote, so a colon in it is not a key. */
  readonly quoted: boolean;
}

/** Split on whitespace outside double quotes; quotes are removed. An unbalanced quote runs to the end. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let token = { text: '', negated: false, quoted: false, started: false };
  let inQuotes = false;
  const flush = () => {
    if (token.started && token.text !== '') tokens.push(token);
    token = { text: '', negated: false, quoted: false, started: false };
  };
  for (const char of text) {
    if (char === '"') {
      if (token.text === '') token.quoted = true;
      inQuotes = !inQuotes;
      token.started = true;
    } else if (!inQuotes && /\s/.test(char)) {
      flush();
    } else if (char === '-' && !inQuotes && !token.started) {
      token.negated = true;
      token.started = true;
    } else {
      token.text += char;
      token.started = true;
    }
  }
  flush();
  return tokens;
}

/** A leading `word:` is a key unless the term is quoted or looks like a URL (`http://…`). */
function splitTerm(body: string, quoted: boolean): { key: string | null; value: string } {
  const match = /^([a-z][a-z0-9-]*):(.*)$/i.exec(body);
  if (quoted || !match || match[2]!.startsWith('//')) return { key: null, value: body };
  return { key: lower(match[1]!), value: match[2]! };
}

export function parseTrafficFilter(text: string): ParsedTrafficFilter {
  const terms: FilterTerm[] = [];
  const matchers: Matcher[] = [];
  for (const { text: body, negated, quoted } of tokenize(text)) {
    const { key, value } = splitTerm(body, quoted);
    let matcher: Matcher;
    if (key === null) {
      const needle = lower(value);
      matcher = (item) => lower(item.url).includes(needle);
    } else {
      const spec = KEYS.get(key);
      if (!spec) {
        return {
          ok: false,
          error: `Unknown filter "${key}:". Known filters: ${KEY_LIST}. To search URLs for "${body}", put it in quotes.`,
        };
      }
      const alternatives = value.split(/[,|]/).filter((v) => v !== '');
      if (alternatives.length === 0) {
        return { ok: false, error: `"${key}:" needs a value, e.g. ${spec.example}` };
      }
      const compiled: Matcher[] = [];
      for (const alternative of alternatives) {
        const one = spec.compile(alternative);
        if (typeof one === 'string') return { ok: false, error: one };
        compiled.push(one);
      }
      matcher = (item) => compiled.some((m) => m(item));
    }
    terms.push({ negated, key, value });
    matchers.push(negated ? (item) => !matcher(item) : matcher);
  }
  return {
    ok: true,
    filter: { terms, matches: (item) => matchers.every((m) => m(item)) },
  };
}
