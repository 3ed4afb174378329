import { createRequire } from 'node:module';
import type { Occurrence } from '../occurrence.js';

/**
 * Shell scripts through mvdan/sh's parser (the `mvdan-sh` build): comments are never words, `export X=…` and
 * `X=…` are assignments, `$X` / `${X}` are reads, and each quoted or bare word is a value.
 */

interface ShPos {
  Offset(): number;
}
interface ShNode {
  Pos(): ShPos;
  Value?: string;
  Name?: ShNode | null;
  Param?: ShNode | null;
}
interface ShSyntax {
  NewParser(): { Parse(text: string, name: string): unknown };
  Walk(node: unknown, visit: (node: ShNode | null) => boolean): void;
  NodeType(node: ShNode): string;
}

let syntax: ShSyntax | null = null;
function sh(): ShSyntax {
  // A CommonJS bundle without types: loaded once, on the first shell file.
  syntax ??= (createRequire(import.meta.url)('mvdan-sh') as { syntax: ShSyntax }).syntax;
  return syntax;
}

const BRAND = /stack|hexclave/i;

/** mvdan/sh counts bytes; JavaScript strings count UTF-16 units. */
function byteToIndex(text: string): (offset: number) => number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for ASCII-only text
  if (/^[\x00-\x7f]*$/.test(text)) return (offset) => offset;
  const map: number[] = [];
  let index = 0;
  for (const char of text) {
    const bytes = Buffer.byteLength(char);
    for (let i = 0; i < bytes; i++) map.push(index);
    index += char.length;
  }
  map.push(index);
  return (offset) => map[offset] ?? index;
}

export class ShellParseError extends Error {
  override readonly name = 'ShellParseError';
}

/** Occurrences in shell text that starts at `base` in its file. */
export function shellOccurrences(text: string, base = 0): Occurrence[] {
  const syntax = sh();
  let file: unknown;
  try {
    file = syntax.NewParser().Parse(text, 'script');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ShellParseError(`not valid shell: ${message.split('\n')[0]}`);
  }
  const toIndex = byteToIndex(text);
  const out: Occurrence[] = [];
  const named = new Set<number>();
  syntax.Walk(file, (node) => {
    if (!node) return true;
    const type = syntax.NodeType(node);
    if (type === 'Assign' && node.Name?.Value && BRAND.test(node.Name.Value)) {
      const offset = base + toIndex(node.Name.Pos().Offset());
      named.add(offset);
      out.push({ kind: 'env-name', value: node.Name.Value, offset, access: 'write' });
    } else if (type === 'ParamExp' && node.Param?.Value && BRAND.test(node.Param.Value)) {
      const offset = base + toIndex(node.Param.Pos().Offset());
      named.add(offset);
      out.push({ kind: 'env-name', value: node.Param.Value, offset, access: 'read' });
    } else if ((type === 'Lit' || type === 'SglQuoted') && node.Value && BRAND.test(node.Value)) {
      const offset = base + toIndex(node.Pos().Offset()) + (type === 'SglQuoted' ? 1 : 0);
      if (!named.has(offset)) out.push({ kind: 'value', value: node.Value, offset });
    }
    return true;
  });
  return out;
}
