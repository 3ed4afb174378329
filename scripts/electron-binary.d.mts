/** Types of electron-binary.mjs for TypeScript callers (tests that run Electron when it exists). */
export function electronBinary(): { path: string } | { missing: string };
export function hasDisplay(): boolean;
