import { stem } from './terms.js';

/**
 * The domain's vocabulary: words a developer uses for the same thing. A question term also matches passages that
 * use another word of its group (and counts as covered by them). Groups are written plainly and stemmed once.
 * One-way entries (`a > b c`) expand `a` to `b` and `c` but not back: `iss` means issuer, issuer does not mean iss.
 */
const GROUPS: readonly string[] = [
  'iss > issuer',
  'aud > audience',
  'sub > subject',
  'jwt > token',
  'env > environment variable',
  'var > variable',
  'vars > variable',
  'environment variable env',
  'issuer issuers',
  'mirror mirrored external sync synced',
  'sync mirror',
  'deploy deployment rollout release ship',
  'upgrade update',
  'downgrade rollback revert',
  'library sdk',
  'sdk library',
  'pause fusebox suspend disable',
  'retry retries again attempt',
  'delete deleted remove removed tombstone',
  'sign signout logout',
  'logged signed',
  'lose lost missing miss skipped gap',
  'table tables',
  'write writable written wrote insert modify',
  'write > readonly',
  'writable > readonly',
  'replace replaced rename renamed twin successor',
  'name renamed called',
  'checkpoint progress',
  'store stored keep kept persist',
  'profile profiling explain',
  'emulator emulate local',
  'verdict class classify result',
  'install setup',
  'editor ide',
  'credentials key keys',
  'cookie cookies jar',
  'header headers',
  'param parameter query',
  'allowlist allow expose',
  'down unreachable failing outage fails',
  'accept accepted valid validate',
];

/** Multi-word phrases rewritten before tokenising, so both words of the phrase turn into the one the docs use. */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\blog(ged|s)? ?out\b/gi, 'signed out'],
  [/\broll(ed|s)? ?out\b/gi, 'deploy'],
  [/\broll(ed|ing)? ?back\b/gi, 'downgrade'],
  [/\bset(ting)? ?up\b/gi, 'setup'],
  [/\bexternal (db|database)\b/gi, 'external database sync mirror'],
  [/\bsingle sign-on\b/gi, 'sso'],
];

const EXPANSIONS = new Map<string, Set<string>>();
for (const group of GROUPS) {
  const [left, right] = group.split('>').map((part) => part.trim().split(/\s+/).map(stem));
  const oneWay = right !== undefined;
  const members = oneWay ? left! : left!;
  const targets = oneWay ? right : left!;
  for (const member of members) {
    const set = EXPANSIONS.get(member) ?? new Set<string>();
    for (const target of targets) if (target !== member) set.add(target);
    EXPANSIONS.set(member, set);
  }
}

/** The other stems that mean the same as this one (never the stem itself). */
export function synonymsOf(term: string): readonly string[] {
  return [...(EXPANSIONS.get(term) ?? [])];
}

export function rewritePhrases(text: string): string {
  return PHRASES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
