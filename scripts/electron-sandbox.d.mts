/** Types of electron-sandbox.mjs for TypeScript callers (its tests). */
export interface LinuxSandboxProbe {
  readonly uid: number | null;
  readonly unprivilegedUsernsClone: string | null;
  readonly maxUserNamespaces: string | null;
  readonly apparmorRestrictsUserns: string | null;
  readonly helperPath: string;
  readonly helper: { readonly uid: number; readonly mode: number } | null;
}

export function probeLinuxSandbox(binaryPath: string): LinuxSandboxProbe;

export function sandboxPlan(
  probe: LinuxSandboxProbe,
): { args: string[]; note?: string } | { unusable: string; fix: string };

/** The command that makes Chromium's setuid sandbox helper usable (shell-quoted path). */
export function helperFix(helperPath: string): string;

/** Whether Electron's stderr says Chromium's sandbox stopped it, and the helper path it named, if any. */
export function sandboxFailure(stderr: string): { helperPath: string | null } | null;
