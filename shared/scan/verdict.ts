import type { Family, IdentifierEntry, KnownSdkVersion } from '../registry/index.js';
import { KNOWN_SDK_VERSIONS } from '../registry/index.js';

/**
 * What happens to one use of an identifier as the rename rolls out, in plain words. Read from the registry
 * entry alone (policy, shipping facts, the plan's "never removed" list), so every surface says the same.
 */
export const VERDICT_KINDS = [
  'breaks',
  'needs-new-sdk',
  'prefer-new',
  'keeps-working',
  'out-of-scope',
] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

export const VERDICT_LABELS: Record<VerdictKind, string> = {
  breaks: 'breaks',
  'needs-new-sdk': 'needs a newer SDK',
  'prefer-new': 'keeps working; prefer the new name',
  'keeps-working': 'keeps working indefinitely',
  'out-of-scope': 'out of scope',
};

export interface Verdict {
  readonly kind: VerdictKind;
  /** The verdict as a sentence fragment: "breaks with SDK ≥ 2.8.108 (renamed outright)". */
  readonly text: string;
  /** The first SDK version the verdict is about, when there is one. */
  readonly since: KnownSdkVersion | null;
  /** Why, in one or two sentences. */
  readonly why: string;
  readonly fix: string;
}

/** How the code uses the name, when the code says: a header object or `.set(…)` writes, `.get(…)` reads. */
export type UseAccess = 'read' | 'write' | 'delete' | undefined;

const NEWEST = KNOWN_SDK_VERSIONS[KNOWN_SDK_VERSIONS.length - 1]!;
const OLDEST = KNOWN_SDK_VERSIONS[0]!;
const HOW_WORDS = {
  'renamed-outright': 'renamed outright',
  migrated: 'migrated to the new name',
  'no-longer-read': 'no longer read',
} as const;

/** Names the SDK itself reads: a hexclave one means nothing to an SDK that predates it. */
const READ_BY_SDK = new Set([
  'env-var',
  'cookie',
  'storage-key',
  'query-param',
  'bearer-prefix',
  'sdk-export',
]);

function stackVerdict(entry: IdentifierEntry, access: UseAccess): Verdict {
  const twin = entry.new;
  if (entry.policy === 'out-of-scope') {
    return {
      kind: 'out-of-scope',
      text: VERDICT_LABELS['out-of-scope'],
      since: null,
      why: entry.notes ?? 'The rename does not touch it.',
      fix: 'Nothing to do.',
    };
  }
  const breaks = entry.sdk?.oldBreaks;
  if (breaks && (breaks.affects === 'all' || access !== 'write')) {
    return {
      kind: 'breaks',
      text: `breaks with SDK ≥ ${breaks.since} (${HOW_WORDS[breaks.how]})`,
      since: breaks.since,
      why: breaks.why,
      fix: twin ? `Use ${twin}.` : 'Stop relying on it.',
    };
  }
  if (entry.policy === 'rename-outright') {
    return {
      kind: 'breaks',
      text: 'breaks once renamed (renamed outright; no published SDK does it yet)',
      since: null,
      why: 'The plan renames it with no fallback to the old name.',
      fix: `Use ${twin}.`,
    };
  }
  if (twin === null) {
    return {
      kind: 'keeps-working',
      text: VERDICT_LABELS['keeps-working'],
      since: null,
      why: 'It has no hexclave name: the rename keeps it as it is.',
      fix: 'Nothing to do.',
    };
  }
  if (entry.oldKeptIndefinitely) {
    return {
      kind: 'keeps-working',
      text: VERDICT_LABELS['keeps-working'],
      since: null,
      why: 'The plan never removes the old name.',
      fix: `Nothing to do; ${twin} is the new name if you want it.`,
    };
  }
  return {
    kind: 'prefer-new',
    text: VERDICT_LABELS['prefer-new'],
    since: null,
    why: 'Both names work now; the old one may be dropped in the rename’s last step (PR 3).',
    fix: `Use ${twin}.`,
  };
}

function hexclaveVerdict(entry: IdentifierEntry): Verdict {
  const uses = entry.sdk?.uses;
  const unknownToOldSdk =
    READ_BY_SDK.has(entry.category) && uses !== undefined && !uses[OLDEST].includes('hexclave');
  if (unknownToOldSdk && uses[NEWEST].includes('hexclave')) {
    return {
      kind: 'needs-new-sdk',
      text: `works only with SDK ≥ ${NEWEST}`,
      since: NEWEST,
      why: `SDK ${OLDEST} and older know only ${entry.old}.`,
      fix: `Keep ${entry.old} too while any app runs an SDK older than ${NEWEST}.`,
    };
  }
  return {
    kind: 'keeps-working',
    text: VERDICT_LABELS['keeps-working'],
    since: null,
    why: 'It is the new name.',
    fix: 'Nothing to do.',
  };
}

export function verdictFor(entry: IdentifierEntry, family: Family, access?: UseAccess): Verdict {
  return family === 'stack' ? stackVerdict(entry, access) : hexclaveVerdict(entry);
}

/** Worst first: the order findings are grouped and summarised in. */
export function verdictRank(kind: VerdictKind): number {
  return VERDICT_KINDS.indexOf(kind);
}
