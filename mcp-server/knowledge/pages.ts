import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocPage {
  /** Path relative to the package root, e.g. `docs/cli.md`. */
  readonly path: string;
  readonly content: string;
}

/** Where the knowledge base written for answering lives, relative to the package root. */
export const KNOWLEDGE_DIR = 'docs/knowledge';

function markdownFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `${dir}/${name}`);
}

/** The pages a client can open as resources: README.md, docs/*.md and the knowledge base, in a fixed order. */
export function docPagePaths(root: string): string[] {
  return ['README.md', ...markdownFiles(root, 'docs'), ...markdownFiles(root, KNOWLEDGE_DIR)];
}

export function loadPage(root: string, path: string): DocPage {
  return { path, content: readFileSync(join(root, path), 'utf8') };
}
