import type { HealthCheck, ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';

export type Tone = 'ok' | 'warn' | 'error' | 'muted';

/** The badges in the order a user fixes them: a backend that does not answer makes the keys moot. */
export const HEALTH_PARTS = [
  ['backend', 'Backend'],
  ['keys', 'Keys'],
  ['mirror', 'Mirror database'],
  ['sync', 'Sync'],
] as const;

export const HEALTH_TONE: Record<HealthCheck['state'], Tone> = {
  ok: 'ok',
  warn: 'warn',
  error: 'error',
  unknown: 'muted',
  off: 'muted',
};

/**
 * One headline for a project, true to the probes: "running" only when the worker runs AND its backend answers,
 * accepts the keys and the mirror answers. Otherwise what is wrong, in a few words ("backend unreachable").
 */
export function projectStatus(project: Pick<ProjectWithRuntime, 'runtime' | 'health'>): {
  label: string;
  tone: Tone;
} {
  const { runtime, health } = project;
  if (runtime.state === 'stopped') return { label: 'stopped', tone: 'muted' };
  if (runtime.state === 'starting') return { label: 'starting', tone: 'warn' };
  if (runtime.state === 'failed') return { label: 'failed', tone: 'error' };
  if (!health) return { label: 'checking…', tone: 'warn' };
  for (const [part, name] of HEALTH_PARTS) {
    const check = health[part];
    if (check.state === 'error') return { label: `${name.toLowerCase()}: ${check.label}`, tone: 'error' };
  }
  for (const [part, name] of HEALTH_PARTS) {
    const check = health[part];
    if (check.state === 'warn')
      return { label: `running · ${name.toLowerCase()} ${check.label}`, tone: 'warn' };
  }
  return { label: 'running', tone: 'ok' };
}
