import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { deployHazards, generationOfVersion } from '../../../shared/scan/hazards.js';
import type { DeployApp, DeployHazard, SdkGeneration } from '../../../shared/scan/report.js';
import { findLockfile, type Lockfile } from './lockfiles.js';

/**
 * The deploy view: every app folder (a package.json that depends on @stackframe/*), the SDK versions it runs
 * (node_modules first, then its lockfile, else only the declared range) and the hazards of the combination.
 */

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The app-facing SDK packages; @stackframe/stack-shared follows them. */
const APP_SDKS = /^@stackframe\/(js|stack|react|tanstack-start)$/;

function installedVersion(root: string, appDir: string, pkg: string): string | null {
  let dir = appDir;
  for (;;) {
    const path = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(path)) {
      try {
        return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? null;
      } catch {
        return null;
      }
    }
    if (dir === root) return null;
    const parent = dirname(dir);
    if (parent === dir || relative(root, parent).startsWith('..')) return null;
    dir = parent;
  }
}

export interface DeployView {
  readonly apps: DeployApp[];
  readonly hazards: DeployHazard[];
}

export function readDeploy(root: string, packageJsonPaths: readonly string[]): DeployView {
  const lockfiles = new Map<string, Lockfile | null>();
  const apps: DeployApp[] = [];
  for (const path of packageJsonPaths) {
    let pkg: PackageJson;
    try {
      pkg = JSON.parse(readFileSync(join(root, path), 'utf8')) as PackageJson;
    } catch {
      continue; // Reported as a skipped file by the JSON parse of the scan itself.
    }
    const declared = { ...pkg.peerDependencies, ...pkg.devDependencies, ...pkg.dependencies };
    const names = Object.keys(declared)
      .filter((n) => n.startsWith('@stackframe/'))
      .sort();
    if (names.length === 0) continue;
    const relDir = dirname(path);
    const appDir = join(root, relDir);
    const lockfile = findLockfile(root, appDir, lockfiles);
    const packages = names.map((name) => {
      const range = declared[name] ?? null;
      const installed = installedVersion(root, appDir, name);
      const locked = lockfile?.version(appDir, name, range) ?? null;
      const version = installed ?? locked;
      return {
        name,
        version,
        declared: range,
        source: installed ? ('node_modules' as const) : locked ? lockfile!.name : ('package.json' as const),
        lockfileVersion: installed && locked && locked !== installed ? locked : null,
        generation: generationOfVersion(version),
      };
    });
    const appGenerations = new Set(packages.filter((p) => APP_SDKS.test(p.name)).map((p) => p.generation));
    const generation: SdkGeneration = appGenerations.size === 1 ? [...appGenerations][0]! : 'unknown';
    apps.push({ dir: relDir === '.' ? '.' : relDir, name: pkg.name ?? null, packages, generation });
  }
  return { apps, hazards: deployHazards(apps) };
}

/** The app a file belongs to: the deepest app folder containing it. */
export function appOf(apps: readonly DeployApp[], file: string): DeployApp | null {
  let best: DeployApp | null = null;
  for (const app of apps) {
    const inside = app.dir === '.' || file.startsWith(`${app.dir}/`);
    if (inside && (best === null || app.dir.length > best.dir.length || best.dir === '.')) best = app;
  }
  return best;
}
