import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The emulator's shape, checked on its source: imports run one way (routes → wire → domain → db; errors and
 * compat are leaves everyone may use), one domain reaches another only through that domain's index.ts, and no
 * file imports itself back through a cycle (type imports included, since they couple files just the same).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../main/emulator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** Emulator-internal imports of a file, as paths relative to main/emulator (`.js` specifiers → `.ts` files). */
function internalImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)].map(
    (m) => m[1]!,
  );
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts'))
    .filter((path) => !path.startsWith('..'));
}

const FILES = sourceFiles(ROOT);
const GRAPH = new Map(FILES.map((file) => [file, internalImports(file)]));

type Layer = 'db' | 'errors' | 'compat' | 'domain' | 'context' | 'wire' | 'routes' | 'surface';
function layerOf(file: string): Layer {
  const top = file.split('/')[0]!;
  if (top === 'db' || top === 'errors' || top === 'domain' || top === 'wire' || top === 'routes') return top;
  if (file === 'compat.ts') return 'compat';
  if (file === 'context.ts') return 'context';
  return 'surface'; // start.ts, app.ts, index.ts, options.ts, …: they assemble the layers
}

/** Which layers each layer may import. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  compat: [],
  errors: ['errors'],
  db: ['db'],
  domain: ['domain', 'db', 'errors', 'compat'],
  context: ['domain', 'compat'],
  wire: ['wire', 'context', 'domain', 'db', 'errors', 'compat'],
  routes: ['routes', 'wire', 'context', 'domain', 'db', 'errors', 'compat'],
  surface: ['surface', 'routes', 'wire', 'context', 'domain', 'db', 'errors', 'compat'],
};

const domainOf = (file: string) => (file.startsWith('domain/') ? file.split('/')[1]! : null);

describe('emulator layers', () => {
  it('finds the layers it checks', () => {
    expect(FILES).toContain('domain/projects/index.ts');
    expect([...GRAPH.values()].flat().length).toBeGreaterThan(100);
  });

  it('imports only downwards: routes → wire → domain → db, with errors and compat as leaves', () => {
    const violations = [...GRAPH].flatMap(([file, imports]) =>
      imports
        .filter((target) => !ALLOWED[layerOf(file)].includes(layerOf(target)))
        .map((target) => `${file} (${layerOf(file)}) imports ${target} (${layerOf(target)})`),
    );
    expect(violations).toEqual([]);
  });

  it('reaches another domain, or a domain from outside, only through its index.ts', () => {
    const violations = [...GRAPH].flatMap(([file, imports]) =>
      imports
        .filter((target) => {
          const targetDomain = domainOf(target);
          if (!targetDomain || domainOf(file) === targetDomain) return false;
          return target !== `domain/${targetDomain}/index.ts`;
        })
        .map((target) => `${file} imports ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it('has no import cycle between files', () => {
    // Tarjan's strongly connected components; any component larger than one file is a cycle.
    let index = 0;
    const indices = new Map<string, number>();
    const lowlinks = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (file: string) => {
      indices.set(file, index);
      lowlinks.set(file, index);
      index += 1;
      stack.push(file);
      onStack.add(file);
      for (const target of GRAPH.get(file) ?? []) {
        if (!indices.has(target)) {
          visit(target);
          lowlinks.set(file, Math.min(lowlinks.get(file)!, lowlinks.get(target)!));
        } else if (onStack.has(target)) {
          lowlinks.set(file, Math.min(lowlinks.get(file)!, indices.get(target)!));
        }
      }
      if (lowlinks.get(file) === indices.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== file);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const file of FILES) if (!indices.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
