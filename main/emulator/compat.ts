/**
 * Which generation of the backend the emulator plays: `dual` (the rename's compatibility layer: both header and
 * cookie families) or `legacy` (today's Stack Auth: stack names only). A leaf module, so every layer may read it.
 */
export type CompatMode = 'dual' | 'legacy';
