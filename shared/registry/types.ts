/**
 * The shape of one row of the identifier registry: an old `stack` identifier, its `hexclave` twin and the rule
 * that governs the pair. Policies and sides use the rename spec's vocabulary (hexclave-rename.md §0).
 */

export const CATEGORIES = [
  'request-header',
  'response-header',
  'cookie',
  'bearer-prefix',
  'sdk-auth-header',
  'jwt-issuer',
  'jwt-audience',
  'env-var',
  'query-param',
  'storage-key',
  'symbol-key',
  'config-file',
  'file-path',
  'cli-binary',
  'url-scheme',
  'window-global',
  'postmessage-type',
  'dom-id',
  'dom-attribute',
  'dom-event',
  'css-class',
  'internal-marker',
  'mcp-tool',
  'sdk-export',
  'module-specifier',
  'npm-package',
  'host',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const POLICIES = [
  'dual-accept',
  'dual-emit',
  'dual-write-read-new-first',
  'read-new-first',
  'dual-attach',
  'rename-outright',
  'frozen',
  'out-of-scope',
] as const;
export type Policy = (typeof POLICIES)[number];

export const POLICY_LABELS: Record<Policy, string> = {
  'dual-accept': 'dual-accept: readers accept both names, new code emits the new one',
  'dual-emit': 'dual-emit: the producer sends both names on every message',
  'dual-write-read-new-first': 'dual-write + read-new-first: write both, read new then old, delete both',
  'read-new-first': 'read-new-first: read the new name, fall back to the old; write only the new',
  'dual-attach': 'dual-attach: attach under both symbols, look up new then old',
  'rename-outright': 'rename-outright: only the new name exists afterwards',
  frozen: 'frozen: the old name stays, no hexclave variant exists',
  'out-of-scope': 'out-of-scope: the rename does not touch it',
};

export const SIDES = ['backend', 'sdk', 'dashboard', 'cli', 'docker', 'docs', 'mcp'] as const;
export type Side = (typeof SIDES)[number];

/** Env vars are grouped as in the rename spec §16 (A customer SDK … E build/dev/test). */
export type EnvGroup = 'A' | 'B' | 'C' | 'D' | 'E';

export interface IdentifierEntry {
  /** Stable key, e.g. `header.access-token`; other modules refer to entries by it. */
  readonly id: string;
  readonly category: Category;
  /** What the identifier means, in a few words. */
  readonly concept: string;
  /**
   * Old (stack) form. `{param}` marks a parameter (`stack-refresh-{projectId}--default`); a trailing `{suffix}`
   * marks a family (`STACK_EMAIL_{suffix}`).
   */
  readonly old: string;
  /** New (hexclave) form, or null when the identifier is frozen or out of scope. */
  readonly new: string | null;
  /** Further old names read for the same concept (env alias clusters, spec §16B). */
  readonly oldAliases?: readonly string[];
  readonly policy: Policy;
  /** Who applies the policy. */
  readonly sides: readonly Side[];
  /** Section of hexclave-rename.md (or stack-protocol.md) the row comes from. */
  readonly specRef: string;
  /** True when values under this name are secrets and must be redacted in logs, reports and exports. */
  readonly secret?: boolean;
  /** Cookie names that take `__Host-` when the page is served over https. */
  readonly securePrefix?: '__Host-';
  readonly envGroup?: EnvGroup;
  /** What the published SDK (@stackframe/js 2.8.108 vs 2.8.102) actually does, where it is not simply the plan. */
  readonly shipped?: string;
  /** Where the plan and the shipped SDK disagree; the registry follows the SDK and records the plan here. */
  readonly planDifference?: string;
  /** Structured shipping facts behind `shipped`, checked against the SDK's built files. */
  readonly sdk?: SdkShipping;
  /** The old name is on the plan's "never removed" list (hexclave-rename.md §19, PR 3). */
  readonly oldKeptIndefinitely?: true;
  readonly notes?: string;
}

export type Family = 'stack' | 'hexclave';

/**
 * The published SDK versions whose built code the registry is checked against: the last one with only stack
 * names and the first one with the hexclave layer (the dev dependencies stack-sdk-old / stack-sdk-new).
 */
export const KNOWN_SDK_VERSIONS = ['2.8.102', '2.8.108'] as const;
export type KnownSdkVersion = (typeof KNOWN_SDK_VERSIONS)[number];

/**
 * What the published SDK (`@stackframe/js` + the `@stackframe/stack-shared` it pins) ships for one entry.
 * `test/unit/scan/sdk-drift.test.ts` reads both versions' built files and fails when this disagrees with them.
 */
export interface SdkShipping {
  /** Which names appear in that version's built code (read, written or both). */
  readonly uses: Readonly<Record<KnownSdkVersion, readonly Family[]>>;
  /**
   * Where code that relies on the old name stops working once an app runs a newer SDK.
   */
  readonly oldBreaks?: {
    readonly since: KnownSdkVersion;
    /** Gone from the SDK; still read but no longer written; or still named but no longer read. */
    readonly how: 'renamed-outright' | 'migrated' | 'no-longer-read';
    /** `readers`: only code that reads the name breaks (sending it still works), `all`: every use. */
    readonly affects: 'readers' | 'all';
    readonly why: string;
  };
}
