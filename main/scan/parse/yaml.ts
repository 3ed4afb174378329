import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import type { Occurrence } from '../occurrence.js';
import { shellOccurrences } from './shell.js';

/**
 * YAML (docker-compose, GitHub workflows, Kubernetes, CI) through the `yaml` package: comments are not
 * values; a key in UPPER_SNAKE_CASE is a variable being set (`environment:`, `env:`), `- KEY=value` list items
 * too, `run:` bodies are shell, and `${VAR}` / `${{ secrets.VAR }}` inside any value are reads.
 */
const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;
const SHELL_KEYS = new Set(['run', 'script', 'command', 'entrypoint']);
const BRAND = /stack|hexclave/i;

function references(value: string, start: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (const m of value.matchAll(
    /\$\{\{([^}]*)\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
  )) {
    if (m[1] !== undefined) {
      for (const ref of m[1].matchAll(/\b(?:secrets|vars|env)\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        out.push({
          kind: 'env-name',
          value: ref[1]!,
          offset: start + m.index! + 3 + ref.index! + ref[0].indexOf(ref[1]!),
          access: 'read',
        });
      }
      continue;
    }
    const name = (m[2] ?? m[3])!;
    out.push({
      kind: 'env-name',
      value: name,
      offset: start + m.index! + m[0].indexOf(name),
      access: 'read',
    });
  }
  return out;
}

export function yamlOccurrences(text: string): Occurrence[] {
  const out: Occurrence[] = [];
  const contentStart = (node: YamlNode) => {
    const start = node.range![0];
    return text[start] === '"' || text[start] === "'" ? start + 1 : start;
  };
  const scalar = (node: YamlNode, role: 'key' | 'value' | 'item', parentKey: string | null) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !BRAND.test(node.value)) return;
    const value = node.value;
    const start = contentStart(node);
    const plain = node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    if (role === 'key') {
      out.push(
        ENV_KEY.test(value)
          ? { kind: 'env-name', value, offset: start, access: 'write' }
          : { kind: 'value', value, offset: start },
      );
      return;
    }
    if (parentKey !== null && SHELL_KEYS.has(parentKey)) {
      // Block scalars (`run: |`) start their text on the next line; plain ones map one to one.
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      const base = block ? text.indexOf('\n', start) + 1 : start;
      const body = block ? text.slice(base, node.range[1]) : node.type === 'PLAIN' ? value : null;
      if (body !== null) {
        try {
          out.push(...shellOccurrences(body, base));
          return;
        } catch {
          // Not shell after all (a list of words, a template): read it as a value below.
        }
      }
    }
    const assignment = role === 'item' ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value) : null;
    if (assignment && plain) {
      out.push({ kind: 'env-name', value: assignment[1]!, offset: start, access: 'write' });
      const rest = assignment[2]!;
      out.push(...references(rest, start + assignment[1]!.length + 1));
      if (!rest.includes('$'))
        out.push({ kind: 'value', value: rest, offset: start + assignment[1]!.length + 1 });
      return;
    }
    if (plain) out.push(...references(value, start));
    if (!value.includes('$')) out.push({ kind: 'value', value, offset: start });
  };
  const walk = (node: unknown, parentKey: string | null): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (pair.key) scalar(pair.key as YamlNode, 'key', null);
        if (isScalar(pair.value)) scalar(pair.value, 'value', key);
        else walk(pair.value, key);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isScalar(item)) scalar(item, 'item', parentKey);
        else walk(item, parentKey);
      }
    }
  };
  for (const document of parseDocumentAll(text)) walk(document, null);
  return out.filter((o) => BRAND.test(o.value));
}

function parseDocumentAll(text: string): unknown[] {
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(documents)) return [];
  const failed = documents.find((d) => d.errors.length > 0);
  if (failed) throw new Error(`not valid YAML: ${failed.errors[0]!.message.split('\n')[0]}`);
  return documents.map((d) => d.contents);
}
