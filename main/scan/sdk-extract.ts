import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Family, HOLE, type LiteralMatch } from '../../shared/registry/index.js';
import { matchOccurrence } from './match.js';
import { type Access, LineIndex } from './occurrence.js';
import { codeOccurrences } from './parse/code.js';

/**
 * Reads a published SDK package's built files (and the `@stackframe/stack-shared` it resolves) and lists the
 * Stack/Hexclave identifiers the code contains, by registry entry and family, with what the surrounding call
 * says about access (read, write, delete) where it says anything. Strings that look like identifiers but match
 * no registry entry are listed too: that is how a gap in the registry shows up.
 */

export interface SdkIdentifierUse {
  readonly entryId: string;
  readonly family: Family;
  readonly form: string;
  readonly access: readonly Access[];
  /** `package/dist/…:line` of every place, in file order. */
  readonly where: readonly string[];
}

export interface UnmatchedValue {
  readonly value: string;
  readonly where: readonly string[];
}

export interface SdkExtraction {
  readonly packages: ReadonlyArray<{ readonly name: string; readonly version: string; readonly dir: string }>;
  readonly uses: readonly SdkIdentifierUse[];
  readonly unmatched: readonly UnmatchedValue[];
}

export class SdkPackageError extends Error {
  override readonly name = 'SdkPackageError';
}

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    throw new SdkPackageError(
      `${dir} is not an installed package (no readable package.json). Give the folder of @stackframe/js, e.g. node_modules/@stackframe/js.`,
    );
  }
}

/** Built JavaScript: every dist file except the ESM copy of the same code, tests and maps. */
function builtFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'esm' && entry.name !== 'node_modules') walk(path);
      } else if (/\.(c|m)?js$/.test(entry.name) && !/\.test\.|\.spec\./.test(entry.name)) {
        out.push(path);
      }
    }
  };
  walk(join(dir, 'dist'));
  return out.sort();
}

/**
 * Where Node finds `name` from `folder`: the nearest `node_modules/<name>` up the tree. Package `exports`
 * maps may hide `package.json` from `require.resolve`, so the folders are looked at directly.
 */
export function installedDependency(folder: string, name: string): string | null {
  let dir = folder;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The package folder and every `@stackframe/*` package it depends on, resolved the way Node would. */
function packageClosure(dir: string): Array<{ name: string; version: string; dir: string }> {
  const seen = new Map<string, { name: string; version: string; dir: string }>();
  const visit = (folder: string) => {
    const pkg = readPackage(folder);
    const name = pkg.name ?? folder;
    if (seen.has(name)) return;
    seen.set(name, { name, version: pkg.version ?? 'unknown', dir: folder });
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (!dep.startsWith('@stackframe/')) continue;
      // A dependency that is not installed is left out; the packages listed say what was read.
      const found = installedDependency(folder, dep);
      if (found) visit(found);
    }
  };
  visit(dir);
  return [...seen.values()];
}

/**
 * Values in SDK builds that contain the brand but are not identifiers, each reviewed: prose-free strings that
 * are code shown to developers, the central env transform's own prefixes, and example data.
 */
export const NOT_IDENTIFIERS: Readonly<Record<string, string>> = {
  STACK_: 'the prefix the central env transform replaces (stack-shared utils/env)',
  HEXCLAVE_: 'the prefix the central env transform writes (stack-shared utils/env)',
  Stack: 'an OpenAPI example value (email sender name)',
  [`stackApp.redirectTo${HOLE}${HOLE}()`]: 'a code sample the dev tool shows',
  [`${HOLE}.stack-auth.example.com`]: 'a random base host used to parse relative URLs',
  [`https://${HOLE}.stack-auth.example.com`]: 'the same random base host as a URL',
  [`https://${HOLE}.built-with-stack-auth.com/anything`]: 'example URLs in redirect-URL checks',
  'https://other-project.built-with-stack-auth.com/anything': 'example URLs in redirect-URL checks',
};

/** The brand as a word of its own: `stack-devtool`, `StackClientApp`, `__stackBrand`, not `tanstack`, `Stacktrace`. */
function looksLikeIdentifier(value: string): boolean {
  if (/\s/.test(value) || Object.hasOwn(NOT_IDENTIFIERS, value)) return false;
  return /(^|[^A-Za-z])(stack|hexclave)([^a-z]|$)|(^|[^A-Za-z]|[a-z])(Stack|Hexclave|STACK|HEXCLAVE)([^a-z]|$)/.test(
    value,
  );
}

export function extractSdkIdentifiers(packageDir: string): SdkExtraction {
  const packages = packageClosure(resolve(packageDir));
  const uses = new Map<
    string,
    { entryId: string; family: Family; form: string; access: Set<Access>; where: string[] }
  >();
  const unmatched = new Map<string, string[]>();
  let envTransform = false;
  const helperReads: Array<{ match: LiteralMatch; where: string }> = [];
  const record = (match: LiteralMatch, family: Family, where: string, access: Access | undefined) => {
    const key = `${match.entry.id}:${family}`;
    const form = family === match.family ? match.matchedForm : (match.entry.new ?? match.matchedForm);
    const use = uses.get(key) ?? {
      entryId: match.entry.id,
      family,
      form,
      access: new Set<Access>(),
      where: [],
    };
    if (access) use.access.add(access);
    use.where.push(where);
    uses.set(key, use);
  };
  for (const pkg of packages) {
    for (const file of builtFiles(pkg.dir)) {
      const text = readFileSync(file, 'utf8');
      const lines = new LineIndex(text);
      const label = `${pkg.name}@${pkg.version}/${relative(pkg.dir, file)}`;
      const occurrences = codeOccurrences(file, text, {
        declarations: true,
        onEnvTransform: () => {
          envTransform = true;
        },
      });
      for (const occurrence of occurrences) {
        const where = `${label}:${lines.position(occurrence.offset).line}`;
        const matches = matchOccurrence(occurrence);
        if (occurrence.viaEnvHelper) helperReads.push(...matches.map((m) => ({ match: m, where })));
        if (matches.length === 0) {
          // Declared names that match nothing are the SDK's own functions and classes, not identifiers.
          if (occurrence.kind === 'module' || occurrence.kind === 'code-name') continue;
          if (!looksLikeIdentifier(occurrence.value)) continue;
          const list = unmatched.get(occurrence.value) ?? [];
          list.push(where);
          unmatched.set(occurrence.value, list);
          continue;
        }
        for (const match of matches) record(match, match.family, where, occurrence.access);
      }
    }
  }
  // stack-shared's env helpers try the HEXCLAVE_ name before the STACK_ one they are given.
  if (envTransform) {
    for (const { match, where } of helperReads) {
      if (match.family === 'stack' && match.entry.new !== null) record(match, 'hexclave', where, 'read');
    }
  }
  return {
    packages,
    uses: [...uses.values()]
      .map((u) => ({ ...u, access: [...u.access].sort() }))
      .sort((a, b) => a.entryId.localeCompare(b.entryId) || a.family.localeCompare(b.family)),
    unmatched: [...unmatched.entries()]
      .map(([value, where]) => ({ value, where }))
      .sort((a, b) => a.value.localeCompare(b.value)),
  };
}
