import { basename } from 'node:path';

/** Which parser reads a file; null for files the scanner does not read. */
export type FileKind = 'code' | 'json' | 'env' | 'yaml' | 'dockerfile' | 'shell' | 'html';

/** Read by the deploy view instead: every line would name a package, none is a use in code. */
export const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock']);

export function fileKind(path: string): FileKind | null {
  const name = basename(path);
  if (LOCKFILES.has(name)) return null;
  if (name === '.env' || name.startsWith('.env.')) return 'env';
  if (/^(Dockerfile|Containerfile)(\..+)?$/.test(name) || name.endsWith('.dockerfile')) return 'dockerfile';
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  switch (ext) {
    case 'js':
    case 'jsx':
    case 'ts':
    case 'tsx':
    case 'mjs':
    case 'cjs':
    case 'mts':
    case 'cts':
      return name.endsWith('.d.ts') ? null : 'code';
    case 'json':
    case 'jsonc':
      return 'json';
    case 'yml':
    case 'yaml':
      return 'yaml';
    case 'sh':
    case 'bash':
    case 'zsh':
      return 'shell';
    case 'html':
    case 'htm':
      return 'html';
    default:
      return null;
  }
}
