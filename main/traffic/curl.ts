import { randomBytes } from 'node:crypto';
import { type Exchange, headerRecord, isSecretHeader } from '../../shared/checker/index.js';
import { isSecretParamName, redactSecretsInText } from '../../shared/redact.js';
import { entriesOf } from '../../shared/registry/index.js';
import { shellWord, shellWordOf, type WordPart } from '../../shared/shell.js';

/**
 * Copy as cURL. Every piece of the exchange — method, URL, header names and values, body — came from a page or a
 * backend the developer does not control, so each becomes one literal shell word (`shared/shell.ts`).
 *
 * The default copy holds no secret: each redacted value becomes a shell variable named after what it is
 * (`$HEXCLAVE_SECRET_SERVER_KEY`, `$ACCESS_TOKEN`, `$PASSWORD`), written `"${NAME:?…}"` so that an unset variable
 * stops the command with a message naming it. `withSecrets` is the explicit, verbatim copy.
 */

export interface CurlCommand {
  readonly command: string;
  /** Shell variables the command reads, in order of first use (empty with `withSecrets`). */
  readonly needs: readonly string[];
}

/** Request headers that describe the transport, not the request: curl sets them itself. */
const TRANSPORT_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding', 'host']);
const MISSING = 'redacted in this copy, export it first or use Copy with secrets';
const ENV_VARS = entriesOf('env-var');

function upperSnake(name: string): string {
  const snake = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (snake === '') return 'SECRET';
  return /^[A-Z_]/.test(snake) ? snake : `_${snake}`;
}

/** `x-hexclave-secret-server-key` → HEXCLAVE_SECRET_SERVER_KEY (the registry's env var of the same family). */
function headerVariable(name: string): string {
  const match = /^x-(stack|hexclave)-(.+)$/i.exec(name);
  if (match) {
    const stackName = `STACK_${upperSnake(match[2]!)}`;
    const env = ENV_VARS.find((e) => e.old === stackName);
    if (env) return match[1]!.toLowerCase() === 'hexclave' && env.new ? env.new : env.old;
    return upperSnake(match[2]!);
  }
  return upperSnake(name);
}

/** Names each distinct secret value once; two different values never share a variable. */
class Variables {
  private readonly byValue = new Map<string, string>();
  private readonly used = new Set<string>();
  readonly order: string[] = [];

  constructor(private readonly verbatim: boolean) {}

  part(value: string, wanted: string): WordPart {
    if (this.verbatim) return { text: value };
    let variable = this.byValue.get(value);
    if (!variable) {
      variable = wanted;
      for (let n = 2; this.used.has(variable); n++) variable = `${wanted}_${n}`;
      this.used.add(variable);
      this.byValue.set(value, variable);
      this.order.push(variable);
    }
    return { variable, missing: MISSING };
  }
}

/**
 * Text with secrets swapped for unique alphanumeric markers (safe through URL and JSON encoding), then split
 * back into literal parts and variables.
 */
class Marked {
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly parts: WordPart[] = [];

  constructor(private readonly vars: Variables) {}

  mark(value: string, wanted: string): string {
    this.parts.push(this.vars.part(value, wanted));
    return `HXVAR${this.nonce}N${this.parts.length - 1}X`;
  }

  /** The literal parts still go through the free-text redaction (a JWT in a path, a key in a string). */
  split(text: string): WordPart[] {
    const out: WordPart[] = [];
    const pattern = new RegExp(`HXVAR${this.nonce}N(\\d+)X`, 'g');
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      out.push({ text: redactSecretsInText(text.slice(last, match.index)) });
      out.push(this.parts[Number(match[1])]!);
      last = match.index + match[0].length;
    }
    out.push({ text: redactSecretsInText(text.slice(last)) });
    return out;
  }
}

function urlParts(raw: string, vars: Variables, verbatim: boolean): WordPart[] {
  if (verbatim) return [{ text: raw }];
  const marked = new Marked(vars);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [{ text: redactSecretsInText(raw) }];
  }
  for (const [name, value] of [...url.searchParams]) {
    if (isSecretParamName(name)) url.searchParams.set(name, marked.mark(value, upperSnake(name)));
  }
  return marked.split(url.toString());
}

function headerParts(name: string, value: string, vars: Variables, verbatim: boolean): WordPart[] {
  const lower = name.toLowerCase();
  if (verbatim) return [{ text: `${name}: ${value}` }];
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const space = value.indexOf(' ');
    const [scheme, credentials] =
      space > 0 ? [value.slice(0, space + 1), value.slice(space + 1)] : ['', value];
    return [{ text: `${name}: ${scheme}` }, vars.part(credentials, upperSnake(lower))];
  }
  if (isSecretHeader(lower)) return [{ text: `${name}: ` }, vars.part(value, headerVariable(lower))];
  return [{ text: `${name}: ${redactSecretsInText(value)}` }];
}

function withJsonSecrets(value: unknown, marked: Marked): unknown {
  if (Array.isArray(value)) return value.map((item) => withJsonSecrets(item, marked));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (typeof item === 'string' && (isSecretParamName(key) || redactSecretsInText(item) !== item))
        return [key, marked.mark(item, upperSnake(key))];
      return [key, withJsonSecrets(item, marked)];
    }),
  );
}

function bodyParts(body: string, contentType: string, vars: Variables, verbatim: boolean): WordPart[] {
  if (verbatim) return [{ text: body }];
  const marked = new Marked(vars);
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    let secret = false;
    for (const [name, value] of [...params]) {
      if (!isSecretParamName(name)) continue;
      secret = true;
      params.set(name, marked.mark(value, upperSnake(name)));
    }
    return secret ? marked.split(params.toString()) : [{ text: redactSecretsInText(body) }];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [{ text: redactSecretsInText(body) }];
  }
  const text = JSON.stringify(withJsonSecrets(parsed, marked));
  // Without secrets, keep the body exactly as it was sent.
  return text === JSON.stringify(parsed) ? [{ text: body }] : marked.split(text);
}

/** The request as a bash/zsh command line, one option per line. */
export function curlCommand(exchange: Exchange, options: { withSecrets?: boolean } = {}): CurlCommand {
  const verbatim = options.withSecrets === true;
  const vars = new Variables(verbatim);
  const { request } = exchange;
  const url = urlParts(request.url, vars, verbatim);
  const first = url[0];
  // A URL that does not start with a scheme could read as an option (`-o file`): `--url` takes it literally.
  const urlWord = first && 'text' in first && /^https?:\/\//i.test(first.text) ? '' : '--url ';
  const lines = [`curl -X ${shellWord(request.method)} ${urlWord}${shellWordOf(url)}`];
  for (const [name, value] of request.headers) {
    if (name.startsWith(':') || TRANSPORT_HEADERS.has(name.toLowerCase())) continue;
    lines.push(`-H ${shellWordOf(headerParts(name, value, vars, verbatim))}`);
  }
  if (request.body) {
    const type = headerRecord(request.headers)['content-type'] ?? '';
    lines.push(`--data-raw ${shellWordOf(bodyParts(request.body, type, vars, verbatim))}`);
  }
  return { command: lines.join(' \\\n  '), needs: vars.order };
}
