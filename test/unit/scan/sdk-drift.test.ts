import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSdkIdentifiers, type SdkExtraction } from '../../../main/scan/index.js';
import {
  type Family,
  IDENTIFIERS,
  KNOWN_SDK_VERSIONS,
  type KnownSdkVersion,
} from '../../../shared/registry/index.js';

// The registry cannot drift from the SDK: both published builds installed as dev dependencies are read, and every
// Stack/Hexclave name they contain must be a registry entry whose shipping facts say exactly which names the
// build uses.

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BUILDS: Record<KnownSdkVersion, string> = {
  '2.8.102': join(ROOT, 'node_modules', 'stack-sdk-old'),
  '2.8.108': join(ROOT, 'node_modules', 'stack-sdk-new'),
};

const extractions = new Map<KnownSdkVersion, SdkExtraction>();

beforeAll(() => {
  for (const version of KNOWN_SDK_VERSIONS) extractions.set(version, extractSdkIdentifiers(BUILDS[version]));
}, 120_000);

function observed(version: KnownSdkVersion): Map<string, Family[]> {
  const byEntry = new Map<string, Family[]>();
  for (const use of extractions.get(version)!.uses) {
    byEntry.set(use.entryId, [...(byEntry.get(use.entryId) ?? []), use.family]);
  }
  return byEntry;
}

const sorted = (families: readonly Family[]) => [...families].sort();

describe('the registry against the published SDK builds', () => {
  it.each(KNOWN_SDK_VERSIONS)('reads @stackframe/js %s and the stack-shared it pins', (version) => {
    const packages = extractions.get(version)!.packages.map((p) => `${p.name}@${p.version}`);
    expect(packages).toEqual([`@stackframe/js@${version}`, `@stackframe/stack-shared@${version}`]);
  });

  it.each(KNOWN_SDK_VERSIONS)('knows every Stack/Hexclave name the %s build uses', (version) => {
    const missing = extractions.get(version)!.unmatched.map((u) => `${u.value} (${u.where[0]})`);
    expect(missing, 'names the SDK uses that no registry entry matches: add entries for them').toEqual([]);
  });

  it('records, for every entry the SDK uses, exactly which names each version contains', () => {
    const disagreements: string[] = [];
    for (const entry of IDENTIFIERS) {
      for (const version of KNOWN_SDK_VERSIONS) {
        const seen = sorted(observed(version).get(entry.id) ?? []);
        if (!entry.sdk) {
          if (seen.length > 0) disagreements.push(`${entry.id}: ${version} uses ${seen.join('+')}, no facts`);
          continue;
        }
        const declared = sorted(entry.sdk.uses[version]);
        if (declared.join('+') !== seen.join('+')) {
          disagreements.push(`${entry.id}: ${version} declared [${declared}] but the build has [${seen}]`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('backs every "shipped" note with facts checked against the builds', () => {
    const unbacked = IDENTIFIERS.filter((e) => e.shipped && !e.sdk).map((e) => e.id);
    expect(unbacked).toEqual([]);
  });

  it('only claims a break that the facts show', () => {
    const wrong: string[] = [];
    for (const entry of IDENTIFIERS) {
      const breaks = entry.sdk?.oldBreaks;
      if (!breaks) continue;
      const at = entry.sdk!.uses[breaks.since];
      const before = entry.sdk!.uses['2.8.102'];
      const ok =
        breaks.how === 'renamed-outright'
          ? !at.includes('stack') && at.includes('hexclave') && before.includes('stack')
          : at.includes('hexclave');
      if (!ok)
        wrong.push(
          `${entry.id}: ${breaks.how} since ${breaks.since}, uses ${JSON.stringify(entry.sdk!.uses)}`,
        );
    }
    expect(wrong).toEqual([]);
  });
});

describe('extractSdkIdentifiers', () => {
  it('lists a name the registry lacks, so a new SDK identifier fails the check above', () => {
    const result = extractSdkIdentifiers(
      join(
        ROOT,
        'test',
        'fixtures',
        'scan',
        'sdk-builds',
        'unknown-name',
        'node_modules',
        '@stackframe',
        'js',
      ),
    );
    expect(result.unmatched.map((u) => u.value)).toEqual(['x-stack-telepathy-level']);
    expect(result.uses.map((u) => `${u.entryId}:${u.family}:${u.access.join(',')}`)).toEqual([
      'header.project-id:hexclave:write',
    ]);
  });

  it('refuses a folder that is not an installed package, naming what to give instead', () => {
    expect(() => extractSdkIdentifiers(join(ROOT, 'docs'))).toThrow(/not an installed package/);
  });
});
