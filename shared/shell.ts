/**
 * Shell words for commands a developer pastes into bash or zsh (Copy as cURL). Whatever the text — a method, URL,
 * header or body a hostile page reported — it reaches the command as one literal word: no expansion, no command
 * substitution, no word splitting. Text with control or non-ASCII characters is written as an ANSI-C `$'…'` word
 * with every such character escaped, so nothing invisible (a bracketed-paste terminator, a bidi override, a
 * carriage return that rewrites the line on screen) survives into the terminal.
 *
 * Hand-written rather than a library: the quoting libraries target `child_process` arguments, where control
 * characters are harmless; here the reader is a terminal and a person.
 */

/** Words made of these characters mean the same quoted or not. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Anything outside printable ASCII. */
const NEEDS_ESCAPES = /[^\x20-\x7e]/;

const UTF8 = new TextEncoder();

/** `$'…'` with every byte outside printable ASCII as `\xHH` of its UTF-8 encoding: exact in any locale. */
function ansiC(text: string): string {
  let out = "$'";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === "'") out += "\\'";
    else if (code >= 0x20 && code <= 0x7e) out += char;
    else for (const byte of UTF8.encode(char)) out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/** One literal shell word for `text`, quoted only when it has to be. */
export function shellWord(text: string): string {
  if (PLAIN_WORD.test(text)) return text;
  if (NEEDS_ESCAPES.test(text)) return ansiC(text);
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A part of one shell word: literal text, or a shell variable the user sets (a redacted secret). */
export type WordPart = { readonly text: string } | { readonly variable: string; readonly missing: string };

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** What `${NAME:?message}` may print: no `$`, backquote, quote or backslash, so the message expands to itself. */
const SAFE_MESSAGE = /^[A-Za-z0-9 ,.;:()/_-]*$/;

/**
 * One shell word built from literal parts and variables. A variable is written as `"${NAME:?message}"`: when the
 * user has not set it, the shell prints `NAME: message` and does not run the command at all.
 */
export function shellWordOf(parts: readonly WordPart[]): string {
  const pieces: string[] = [];
  for (const part of parts) {
    if ('text' in part) {
      if (part.text !== '') pieces.push(shellWord(part.text));
      continue;
    }
    if (!VARIABLE_NAME.test(part.variable)) throw new Error(`Not a shell variable name: ${part.variable}`);
    if (!SAFE_MESSAGE.test(part.missing)) throw new Error(`Unsafe message for ${part.variable}`);
    pieces.push(`"\${${part.variable}:?${part.missing}}"`);
  }
  if (pieces.length === 0) return "''";
  // Adjacent quoted pieces form one word; a bare piece next to a quoted one must be quoted too (`a'b'` is fine,
  // but keep it uniform and readable).
  return pieces.length === 1
    ? pieces[0]!
    : pieces
        .map((p) => (p.startsWith("'") || p.startsWith('"') || p.startsWith('$') ? p : `'${p}'`))
        .join('');
}
