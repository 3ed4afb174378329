import { findByName, type NameMatch } from './lookup.js';
import { IDENTIFIERS } from './table.js';
import type { Category, Family, IdentifierEntry } from './types.js';

/**
 * Matching of values found in code (a string literal, a template literal, a concatenation, a URL, an import
 * specifier) against the registry. The scanner and the SDK extractor both go through here, so a name the
 * scanner reports in a user's project is the same name the extractor finds in the SDK.
 */

/** Stands for a part computed at run time: `stack-oauth-outer-${state}` is `stack-oauth-outer-` + HOLE. */
export const HOLE = '\uFFFC';

export type LiteralMatchKind =
  | 'exact'
  | 'template'
  | 'prefix'
  | 'url-host'
  | 'query-param'
  | 'assignment'
  | 'placeholder'
  | 'bearer'
  | 'header-line'
  | 'scheme'
  | 'module';

export interface LiteralMatch extends NameMatch {
  readonly kind: LiteralMatchKind;
  /** The name as it appears inside the value, e.g. `stack_cross_domain_auth` inside a URL. */
  readonly text: string;
  /** Where `text` starts inside the value (0 when it is the whole value). */
  readonly offset: number;
}

const BRAND = /stack|hexclave/i;
const SEPARATOR = /[-_:.]$/;

function formsOf(entry: IdentifierEntry): Array<[string, Family]> {
  const forms: Array<[string, Family]> = [[entry.old, 'stack']];
  for (const alias of entry.oldAliases ?? []) forms.push([alias, 'stack']);
  if (entry.new !== null) forms.push([entry.new, 'hexclave']);
  return forms;
}

const shapeOf = (form: string) => form.replace(/\{\w+\}/g, HOLE);
const literalLength = (form: string) => form.replace(/\{\w+\}/g, '').length;

function mostSpecific<T extends NameMatch>(matches: T[]): T[] {
  if (matches.length < 2) return matches;
  const best = Math.max(...matches.map((m) => literalLength(m.matchedForm)));
  return matches.filter((m) => literalLength(m.matchedForm) === best);
}

/** What a form says beyond its brand: `stack-oauth-outer-` → `oauthouter`; `STACK_`, `x-stack-` → nothing. */
function beyondBrand(text: string): string {
  return text
    .replace(/^__Host-/, '')
    .replace(/stackframe|stackauth|stack|hexclave/gi, '')
    .replace(/^(x|NEXT_PUBLIC|VITE)[-_]/i, '')
    .replace(/[^A-Za-z0-9]/g, '');
}

interface Shape {
  readonly entry: IdentifierEntry;
  readonly family: Family;
  readonly form: string;
  readonly shape: string;
  readonly head: string;
}

let shapes: Shape[] | null = null;
function allShapes(): Shape[] {
  shapes ??= IDENTIFIERS.flatMap((entry) =>
    formsOf(entry)
      .filter(([form]) => form.replace(/\{\w+\}/g, '') !== '')
      .map(([form, family]) => ({
        entry,
        family,
        form,
        shape: shapeOf(form),
        head: form.split('{')[0]!,
      })),
  );
  return shapes;
}

function bareSecure(value: string): { bare: string; secure: boolean } {
  return value.startsWith('__Host-')
    ? { bare: value.slice('__Host-'.length), secure: true }
    : { bare: value, secure: false };
}

/**
 * A value with holes whose fixed parts fit a template (`stack-refresh-${id}--default`), or the start of a
 * templated name that code completes at run time (`"hexclave-oauth-outer-" + state`, `"stack-refresh-"`).
 */
function byShape(value: string): NameMatch[] {
  const { bare, secure } = bareSecure(value);
  const exact: NameMatch[] = [];
  const prefix: NameMatch[] = [];
  for (const s of allShapes()) {
    if (secure && !s.entry.securePrefix && !s.form.startsWith('__Host-')) continue;
    const target = (s.form.startsWith('__Host-') ? value : bare).toLowerCase();
    const shape = s.shape.toLowerCase();
    const match = { entry: s.entry, family: s.family, params: {}, matchedForm: s.form };
    if (target === shape) {
      if (target.includes(HOLE)) exact.push(match);
      continue;
    }
    if (!s.form.includes('{') || beyondBrand(target.split(HOLE)[0]!) === '') continue;
    const head = s.head.toLowerCase();
    // Without holes only the literal head counts (`stack-oauth-outer-`, or `stack:session-replay:v1` before
    // its `:`); with holes, any start that ends where two parts of the name meet.
    const fits = target.includes(HOLE)
      ? shape.startsWith(target) && (SEPARATOR.test(target) || target.endsWith(HOLE))
      : target === head || `${target}${head.at(-1)}` === head;
    if (fits && SEPARATOR.test(head)) prefix.push(match);
  }
  const unique = (list: NameMatch[]) =>
    list.filter((m, i) => list.findIndex((o) => o.entry.id === m.entry.id && o.family === m.family) === i);
  return exact.length > 0 ? mostSpecific(unique(exact)) : unique(prefix);
}

function inCategories(matches: NameMatch[], categories: readonly Category[]): NameMatch[] {
  return matches.filter((m) => categories.includes(m.entry.category));
}

const as = (kind: LiteralMatchKind, text: string, offset: number) => (m: NameMatch) => ({
  ...m,
  kind,
  text,
  offset,
});

/** The npm package an import specifier names: `@stackframe/stack-shared/dist/utils/errors` → the package entry. */
export function matchModuleSpecifier(specifier: string): LiteralMatch[] {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return inCategories(findByName(name), ['npm-package', 'module-specifier']).map(as('module', name, 0));
}

/** Env names inside a value: `${NEXT_PUBLIC_STACK_PORT_PREFIX:-81}`, `$STACK_API_URL`. */
function placeholders(value: string): LiteralMatch[] {
  const out: LiteralMatch[] = [];
  for (const m of value.matchAll(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
  )) {
    const name = (m[1] ?? m[2])!;
    const offset = m.index! + m[0].indexOf(name);
    out.push(...inCategories(findByName(name), ['env-var']).map(as('placeholder', name, offset)));
  }
  return out;
}

/** A host name, or the part of it after a run-time hole (`${projectId}.built-with-stack-auth.com`). */
function hostMatches(hostname: string, offset: number): LiteralMatch[] {
  const known = hostname.includes(HOLE) ? hostname.slice(hostname.lastIndexOf(HOLE) + 1) : hostname;
  const exact = inCategories(findByName(known), ['host']);
  if (exact.length > 0) return mostSpecific(exact).map(as('url-host', known, offset));
  // Suffix entries (`.built-with-stack-auth.com`) cover every host under them.
  return IDENTIFIERS.filter(
    (e) => e.category === 'host' && e.old.startsWith('.') && known.toLowerCase().endsWith(e.old),
  ).map((entry) => ({
    entry,
    family: 'stack' as const,
    params: {},
    matchedForm: entry.old,
    kind: 'url-host' as const,
    text: known,
    offset,
  }));
}

function urlParts(value: string): LiteralMatch[] {
  const out: LiteralMatch[] = [];
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value);
  if (scheme && BRAND.test(scheme[1]!)) {
    out.push(...inCategories(findByName(`${scheme[1]}://`), ['url-scheme']).map(as('scheme', scheme[0], 0)));
  }
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(value) ?? /^[^@/\s]+@([^@/\s]+)$/.exec(value);
  if (host) out.push(...hostMatches(host[1]!, value.indexOf(host[1]!)));
  const query = value.indexOf('?');
  const params = query >= 0 ? value.slice(query + 1) : /^[&]?[\w-]+=/.test(value) ? value : null;
  if (params !== null) {
    let offset = query + 1;
    for (const pair of params.split('#')[0]!.split('&')) {
      const name = pair.split('=')[0]!;
      if (BRAND.test(name)) {
        out.push(...inCategories(findByName(name), ['query-param']).map(as('query-param', name, offset)));
      }
      offset += pair.length + 1;
    }
  }
  return out;
}

/**
 * Every registry identifier a value found in code stands for. The whole value must be the name (or a URL,
 * query string, cookie assignment, header line or Bearer value carrying it): prose that merely mentions a name
 * ("set STACK_PROJECT_ID first") is not a use of it.
 */
export function matchLiteral(value: string): LiteralMatch[] {
  if (!BRAND.test(value)) return [];
  const bearer = /^Bearer\s+/i.exec(value);
  if (bearer) {
    const token = value.slice(bearer[0].length);
    return inCategories(findByName('stackauth_'), ['bearer-prefix'])
      .flatMap((m) => {
        const family: Family = token.startsWith(m.entry.new ?? '\0') ? 'hexclave' : 'stack';
        const prefix = family === 'hexclave' ? m.entry.new! : m.entry.old;
        return token.startsWith(prefix) ? [{ ...m, family, matchedForm: prefix }] : [];
      })
      .map(as('bearer', value.slice(0, bearer[0].length + (token.match(/^[a-z]+_/)?.[0].length ?? 0)), 0));
  }
  const headerLine = /^([A-Za-z0-9-]+):\s/.exec(value);
  if (headerLine) {
    return inCategories(findByName(headerLine[1]!), [
      'request-header',
      'response-header',
      'sdk-auth-header',
    ]).map(as('header-line', headerLine[1]!, 0));
  }
  if (/\s/.test(value)) return [];
  if (!value.includes(HOLE)) {
    const exact = mostSpecific(findByName(value));
    if (exact.length > 0) return exact.map(as('exact', value, 0));
  }
  const shaped = byShape(value);
  if (shaped.length > 0) return shaped.map(as(value.includes(HOLE) ? 'template' : 'prefix', value, 0));
  if (
    /^[a-z][a-z0-9+.-]*:/i.test(value) ||
    value.includes('?') ||
    /^&?[\w-]+=[^=]*(&|$)/.test(value) ||
    /^[^@/\s]+@[^@/\s]+$/.test(value)
  ) {
    const url = urlParts(value);
    if (url.length > 0) return url;
  }
  const assignment = /^([^=;\s]+)=/.exec(value);
  if (assignment && !assignment[1]!.includes(HOLE)) {
    const named = inCategories(findByName(assignment[1]!), ['cookie', 'query-param', 'env-var']);
    if (named.length > 0) return mostSpecific(named).map(as('assignment', assignment[1]!, 0));
  }
  return placeholders(value);
}

/** An env variable name (`process.env.X`, `ENV X=…`, a `.env` key): only env-var entries, exact names. */
export function matchEnvName(name: string): LiteralMatch[] {
  return mostSpecific(inCategories(findByName(name), ['env-var'])).map(as('exact', name, 0));
}

/** A bare code identifier (an imported name, `window.X`, a JSX attribute) of the given categories. */
export function matchCodeName(name: string, categories: readonly Category[]): LiteralMatch[] {
  if (!BRAND.test(name)) return [];
  return mostSpecific(inCategories(findByName(name), categories)).map(as('exact', name, 0));
}
