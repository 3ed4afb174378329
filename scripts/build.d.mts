export type BuildTarget = 'node' | 'preload' | 'renderer' | 'overlay';

export const TARGETS: Record<BuildTarget, { readonly outputs: readonly string[] }>;

/** Why `name` must be rebuilt, or null when it is up to date. */
export function staleReason(name: BuildTarget): string | null;

/** Build every stale target (all with `force`); resolves to the names built. */
export function buildAll(options?: {
  readonly force?: boolean;
  readonly only?: readonly BuildTarget[];
  readonly log?: (line: string) => void;
}): Promise<BuildTarget[]>;
