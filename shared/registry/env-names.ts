/**
 * The central env-name transform of the rename (hexclave-rename.md §16, "How dual-read is implemented"):
 * STACK_X → HEXCLAVE_X, NEXT_PUBLIC_STACK_X → NEXT_PUBLIC_HEXCLAVE_X, VITE_/EXPO_PUBLIC_ likewise,
 * infix forms (NEXT_PUBLIC_BROWSER_STACK_X → NEXT_PUBLIC_BROWSER_HEXCLAVE_X) and STACK_AUTH_X → HEXCLAVE_X.
 * Returns null for names that carry no STACK segment.
 */
export function hexclaveEnvName(oldName: string): string | null {
  if (oldName.startsWith('STACK_AUTH_')) return `HEXCLAVE_${oldName.slice('STACK_AUTH_'.length)}`;
  const match = /^((?:[A-Z0-9]+_)*?)STACK_(.+)$/.exec(oldName);
  if (!match) return null;
  return `${match[1]}HEXCLAVE_${match[2]}`;
}

/** The inverse transform, used to find the old twin of a HEXCLAVE_* name. */
export function stackEnvName(newName: string): string | null {
  const match = /^((?:[A-Z0-9]+_)*?)HEXCLAVE_(.+)$/.exec(newName);
  if (!match) return null;
  return `${match[1]}STACK_${match[2]}`;
}
