import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * The project's files as git sees them: every `.gitignore` on the way down applies to its own folder (the
 * `ignore` package implements git's matching rules), `.git` and `node_modules` are never entered. Paths are
 * relative to the root, with `/` separators.
 */

interface Rules {
  readonly base: string;
  readonly rules: Ignore;
}

function readRules(dir: string, base: string): Rules | null {
  let text: string;
  try {
    text = readFileSync(join(dir, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return { base, rules: ignore().add(text) };
}

function ignored(stack: readonly Rules[], path: string, isDir: boolean): boolean {
  for (const { base, rules } of stack) {
    const relative = base === '' ? path : path.slice(base.length + 1);
    if (rules.ignores(isDir ? `${relative}/` : relative)) return true;
  }
  return false;
}

const NEVER = new Set(['.git', 'node_modules']);

export function walkProject(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string, relative: string, stack: readonly Rules[]) => {
    const own = readRules(dir, relative);
    const rules = own ? [...stack, own] : stack;
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (NEVER.has(entry.name) || ignored(rules, path, true)) continue;
        visit(join(dir, entry.name), path, rules);
      } else if (entry.isFile() && !ignored(rules, path, false)) {
        files.push(path);
      }
    }
  };
  visit(root, '', []);
  return files;
}
