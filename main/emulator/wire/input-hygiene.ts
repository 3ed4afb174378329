import type { MiddlewareHandler } from 'hono';
import { knownError } from '../errors/index.js';
import type { EmulatorEnv } from './env.js';
import { fieldError } from './validate.js';

/**
 * Input Postgres cannot store, refused for every route before any handler runs: a NUL character in any string or
 * key of a JSON or form body, a query parameter or the path (Postgres text cannot hold U+0000); a body that is not
 * UTF-8; JSON nested deeper than MAX_JSON_DEPTH. Each is a 400 with upstream's code — SCHEMA_ERROR naming the
 * field, or BODY_PARSING_ERROR — instead of a database error turned 500.
 */

export const MAX_JSON_DEPTH = 100;
const NUL = '\u0000';
/** A UTF-16 surrogate without its pair: JSON can carry one (`"\ud800"`), UTF-8 and Postgres cannot. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(text: string): string | null {
  if (text.includes(NUL)) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds an unpaired surrogate)';
  return null;
}
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

type Location = 'body' | 'query' | 'params';

function pathOf(location: Location, keys: readonly (string | number)[]): string {
  return [location, ...keys.map(String)].join('.');
}

/** The first problem in a parsed body, walked without recursion (deep input must not blow the stack). */
function problemIn(value: unknown): { keys: (string | number)[]; message: string } | null {
  const stack: { value: unknown; keys: (string | number)[] }[] = [{ value, keys: [] }];
  while (stack.length > 0) {
    const { value: current, keys } = stack.pop()!;
    if (typeof current === 'string') {
      const message = unstorable(current);
      if (message) return { keys, message };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (keys.length >= MAX_JSON_DEPTH)
      return { keys, message: `must not be nested more than ${MAX_JSON_DEPTH} levels deep` };
    const entries: [string | number, unknown][] = Array.isArray(current)
      ? current.map((item, index) => [index, item])
      : Object.entries(current);
    for (const [key, item] of entries) {
      const inKey = typeof key === 'string' ? unstorable(key) : null;
      if (inKey) return { keys: [...keys, String(key).replaceAll(NUL, '\\0')], message: `key ${inKey}` };
      stack.push({ value: item, keys: [...keys, key] });
    }
  }
  return null;
}

function checkPairs(pairs: Iterable<[string, string]>): { keys: string[]; message: string } | null {
  for (const [name, value] of pairs) {
    const message = unstorable(name) ?? unstorable(value);
    if (message) return { keys: [name.replaceAll(NUL, '\\0')], message };
  }
  return null;
}

export function inputHygiene(): MiddlewareHandler<EmulatorEnv> {
  return async function inputHygiene(c, next) {
    const url = new URL(c.req.url);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // Not percent-decodable: the router treats it literally.
    }
    if (path.includes(NUL)) throw fieldError(c, 'params', 'must not contain a NUL character (U+0000)');
    const inQuery = checkPairs(url.searchParams);
    if (inQuery) throw fieldError(c, pathOf('query', inQuery.keys), inQuery.message);

    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const bytes = await c.req.arrayBuffer();
      if (bytes.byteLength > 0) {
        let text: string;
        try {
          text = STRICT_UTF8.decode(bytes);
        } catch {
          throw knownError('BODY_PARSING_ERROR', 'Request body cannot be parsed as UTF-8');
        }
        const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (type === 'application/json') {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined; // the route's own body parsing answers BODY_PARSING_ERROR
          }
          const problem = problemIn(parsed);
          if (problem) throw fieldError(c, pathOf('body', problem.keys), problem.message);
        } else if (type === 'application/x-www-form-urlencoded') {
          const problem = checkPairs(new URLSearchParams(text));
          if (problem) throw fieldError(c, pathOf('body', problem.keys), problem.message);
        }
      }
    }
    await next();
  };
}
