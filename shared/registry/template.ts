/**
 * Name templates: `{param}` placeholders inside identifier names, e.g. `stack-refresh-{projectId}--default`.
 * One compiler serves building (fill) and parsing (match) so the two can never disagree.
 */

const PARAM_PATTERNS: Record<string, string> = {
  projectId: '[A-Za-z0-9_-]+?',
  encodedDomain: '[0-9A-Z]+',
  state: '[A-Za-z0-9._~-]+',
  suffix: '[A-Z0-9_]+',
  provider: '[A-Z0-9]+',
  idpId: '[^/?#]+',
  random: '.+',
  subdomain: '[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*',
  timestamp: '[^/\\\\\\s]+',
};
const DEFAULT_PARAM_PATTERN = '.+?';

export type TemplateParams = Record<string, string>;

interface CompiledTemplate {
  readonly regex: RegExp;
  readonly params: readonly string[];
}

const cache = new Map<string, CompiledTemplate>();

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function templateParams(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

export function isTemplate(template: string): boolean {
  return /\{\w+\}/.test(template);
}

function compile(template: string, caseInsensitive: boolean): CompiledTemplate {
  const key = `${caseInsensitive ? 'i' : 's'}:${template}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const params: string[] = [];
  let source = '^';
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    source += escapeRegex(template.slice(last, match.index));
    const name = match[1]!;
    params.push(name);
    source += `(?<${name}>${PARAM_PATTERNS[name] ?? DEFAULT_PARAM_PATTERN})`;
    last = match.index! + match[0].length;
  }
  source += `${escapeRegex(template.slice(last))}$`;
  const compiled = { regex: new RegExp(source, caseInsensitive ? 'i' : ''), params };
  cache.set(key, compiled);
  return compiled;
}

/** Parameters of `name` under `template`, or null when the name does not fit the template. */
export function matchTemplate(
  template: string,
  name: string,
  options: { caseInsensitive?: boolean } = {},
): TemplateParams | null {
  // Most names have no parameter: comparing them needs no regular expression (a lookup compiles none for them).
  if (!template.includes('{')) {
    const same = options.caseInsensitive ? template.toLowerCase() === name.toLowerCase() : template === name;
    return same ? {} : null;
  }
  const { regex } = compile(template, options.caseInsensitive ?? false);
  const match = regex.exec(name);
  if (!match) return null;
  return { ...(match.groups ?? {}) };
}

export class TemplateParamError extends Error {
  override readonly name = 'TemplateParamError';
}

/** Fill every `{param}`; throws naming the missing parameter rather than emitting a broken name. */
export function fillTemplate(template: string, params: TemplateParams): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') {
      throw new TemplateParamError(`Template "${template}" needs a value for {${name}}.`);
    }
    return value;
  });
}
