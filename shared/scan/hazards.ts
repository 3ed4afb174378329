import type { DeployApp, DeployHazard, SdkGeneration } from './report.js';

/**
 * What a combination of SDK versions in one deploy does to its users (docs/sdk-as-shipped.md §14), each tied to
 * the registry entries behind it. Only facts about installed versions go in: an app whose version is unknown
 * makes no hazard, and is reported as "not checked" by the caller.
 */

const label = (app: DeployApp) =>
  `${app.dir} (${app.packages.map((p) => `${p.name}@${p.version ?? '?'}`).join(', ')})`;

function generationsInApp(app: DeployApp): Set<SdkGeneration> {
  return new Set(app.packages.map((p) => p.generation).filter((g) => g !== 'unknown'));
}

export function deployHazards(apps: readonly DeployApp[]): DeployHazard[] {
  const hazards: DeployHazard[] = [];
  const older = apps.filter((a) => a.generation === 'stack');
  const newer = apps.filter((a) => a.generation === 'hexclave');
  if (older.length > 0 && newer.length > 0) {
    const names = [...older, ...newer].map(label);
    hazards.push(
      {
        id: 'sibling-sign-out',
        title: 'The older app is signed out when the newer one refreshes a token',
        detail: `Apps on SDK ≥ 2.8.108 (${newer.map((a) => a.dir).join(', ')}) write only hexclave-refresh-* cookies and delete every stack-refresh-* cookie on each token write. If they share a parent domain with apps on an older SDK (${older.map((a) => a.dir).join(', ')}), those lose the shared session and sign users out, again after every sign-in. Upgrade them together.`,
        apps: names,
        entryIds: ['cookie.refresh-custom', 'cookie.refresh-default'],
      },
      {
        id: 'split-sign-out',
        title: 'Signing out on one app leaves the user signed in on the other',
        detail:
          'The older SDK deletes only stack-* cookies and the newer one keeps its session in hexclave-* cookies, so one parent-domain session becomes two.',
        apps: names,
        entryIds: ['cookie.refresh-custom', 'cookie.access'],
      },
      {
        id: 'cross-domain-handoff',
        title: 'Cross-domain sign-in between these apps fails',
        detail:
          'SDK ≥ 2.8.108 writes and reads only hexclave_cross_domain_* parameters and older SDKs only stack_cross_domain_*: a redirect from one app to a handler on the other loses its state and PKCE challenge.',
        apps: names,
        entryIds: [
          'param.cross-domain-auth',
          'param.cross-domain-state',
          'param.cross-domain-code-challenge',
          'param.cross-domain-after-callback-redirect-url',
        ],
      },
    );
  }
  for (const app of apps) {
    const generations = generationsInApp(app);
    if (generations.size > 1) {
      hazards.push({
        id: 'mixed-in-one-app',
        title: `${app.dir} mixes SDK generations`,
        detail:
          'Two @stackframe packages of different generations in one app: a 2.8.102 server reading the cookies of a 2.8.108 browser sees no session (it reads stack-* only), and two copies on one page delete each other’s cookies.',
        apps: [label(app)],
        entryIds: ['cookie.refresh-default', 'cookie.access', 'symbol.globals'],
      });
    }
    const drift = app.packages.filter(
      (p) => p.lockfileVersion !== null && p.version !== null && p.lockfileVersion !== p.version,
    );
    if (drift.some((p) => p.generation !== generationOfVersion(p.lockfileVersion))) {
      hazards.push({
        id: 'lockfile-drift',
        title: `${app.dir} runs a different SDK generation locally than its lockfile deploys`,
        detail: `node_modules has ${drift.map((p) => `${p.name}@${p.version}`).join(', ')} but the lockfile pins ${drift.map((p) => p.lockfileVersion).join(', ')}: what you test is not what ships. Run your package manager's install.`,
        apps: [label(app)],
        entryIds: ['cookie.refresh-default', 'header.project-id'],
      });
    }
  }
  if (newer.length > 0) {
    hazards.push({
      id: 'downgrade-signs-out',
      title: 'Rolling these apps back to an SDK older than 2.8.108 signs everyone out',
      detail:
        'After a 2.8.108 token write no stack-refresh-* cookie is left, and older SDKs do not read hexclave-refresh-*: a rollback returns no user for everyone who visited meanwhile.',
      apps: newer.map(label),
      entryIds: ['cookie.refresh-default', 'cookie.refresh-custom'],
    });
  }
  return hazards;
}

const LAST_STACK_ONLY = [2, 8, 102];
const FIRST_HEXCLAVE = [2, 8, 108];

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Which side of the rename a version is on. Only versions whose builds we have read are placed: up to 2.8.102
 * only stack names, from 2.8.108 the hexclave layer; 2.8.103–2.8.107 are not checked.
 */
export function generationOfVersion(version: string | null): SdkGeneration {
  const match = version === null ? null : /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return 'unknown';
  const parts = match.slice(1, 4).map(Number);
  if (compare(parts, LAST_STACK_ONLY) <= 0) return 'stack';
  if (compare(parts, FIRST_HEXCLAVE) >= 0) return 'hexclave';
  return 'unknown';
}
