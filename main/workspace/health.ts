import type { HealthCheck, ProjectHealth } from '../../shared/api/workspace-schemas.js';
import { fieldPhrase } from '../../shared/project-fields.js';
import { redactSecretsInText } from '../../shared/redact.js';
import { backlogTotal, type SyncStatus } from '../../shared/sync/index.js';
import { probeBackend } from '../checker/index.js';

/** What a running project's badges are probed against. */
export interface HealthTarget {
  readonly apiUrl: string | null;
  readonly projectId: string | null;
  readonly publishableClientKey: string | null;
  readonly secretServerKey: string | null;
  readonly mirrorUrl: string | null;
  readonly hasSyncSource: boolean;
  readonly syncStatus: SyncStatus | null;
}

export interface HealthMonitorDeps {
  /** The probe target of a running project, or null when it is not running. */
  readonly target: (project: string) => HealthTarget | null;
  readonly publish: (project: string, health: ProjectHealth | null) => void;
  /** Between rounds while a project runs (default 10 s). */
  readonly intervalMs?: number;
}

const check = (
  state: HealthCheck['state'],
  label: string,
  detail: string | null = null,
  field: HealthCheck['field'] = null,
): HealthCheck => ({ state, label, detail, field });

/** Connect and run `SELECT 1`: the mirror database answers, or why not (redacted). */
export async function probeMirror(url: string | null, mirrorIsExternal: boolean): Promise<HealthCheck> {
  if (!url) return check('unknown', 'not ready', 'The mirror database is not set up yet.');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, query_timeout: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return check('ok', 'reachable');
  } catch (error) {
    const message = redactSecretsInText(error instanceof Error ? error.message : String(error));
    return check(
      'error',
      'unreachable',
      mirrorIsExternal
        ? `The mirror database does not answer (${message}): check ${fieldPhrase('mirrorDatabaseUrl')} and that Postgres runs there.`
        : `The embedded mirror database does not answer (${message}): restart the project.`,
      mirrorIsExternal ? 'mirrorDatabaseUrl' : null,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** The sync badge, from the engine's own status. */
export function syncCheck(hasSource: boolean, status: SyncStatus | null): HealthCheck {
  if (!hasSource) {
    return check(
      'off',
      'no sync source',
      'Add the internal database URL (full pipeline) or the secret server key (users through the API) to mirror users.',
    );
  }
  if (!status) return check('unknown', 'starting', 'The sync engine has not reported yet.');
  if (status.source.lastError) return check('error', 'source failing', status.source.lastError);
  const failing = status.targets.find((t) => t.state === 'retrying');
  if (failing) return check('error', 'mirror writes failing', failing.lastError);
  const backlog = backlogTotal(status.targets.flatMap((t) => t.mappings));
  if (!status.fusebox.workers || !status.fusebox.sequencer || !status.fusebox.poller) {
    return check(
      'warn',
      'paused',
      'A stage is switched off in the fusebox: changes wait until it is back on.',
    );
  }
  if (backlog.rows > 0) {
    const rows = `${backlog.atLeast ? 'At least ' : ''}${backlog.rows} rows`;
    return check('ok', 'catching up', `${rows} wait to be mirrored.`);
  }
  return check('ok', 'caught up');
}

/** Probe the backend, keys and mirror of one target. */
export async function probeHealth(target: HealthTarget, mirrorIsExternal: boolean): Promise<ProjectHealth> {
  const [backendAndKeys, mirror] = await Promise.all([
    target.apiUrl && target.projectId
      ? probeBackend({
          apiUrl: target.apiUrl,
          projectId: target.projectId,
          publishableClientKey: target.publishableClientKey,
          secretServerKey: target.secretServerKey,
        })
      : Promise.resolve({
          backend: check('error', 'not configured', 'This project has no API URL or project id.', 'apiUrl'),
          keys: check('unknown', 'not checked'),
        }),
    probeMirror(target.mirrorUrl, mirrorIsExternal),
  ]);
  return {
    checkedAt: Date.now(),
    ...backendAndKeys,
    mirror,
    sync: syncCheck(target.hasSyncSource, target.syncStatus),
  };
}

/**
 * Health badges from real probes, continuously: a round when a project starts, then every `intervalMs` while it
 * runs. Rounds of one project never overlap; a stopped project has no health (null), never a stale "ok".
 */
export class HealthMonitor {
  private readonly current = new Map<string, ProjectHealth>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<ProjectHealth | null>>();

  constructor(
    private readonly deps: HealthMonitorDeps,
    private readonly isExternalMirror: (project: string) => boolean,
  ) {}

  get(project: string): ProjectHealth | null {
    return this.current.get(project) ?? null;
  }

  watch(project: string): void {
    if (this.timers.has(project)) return;
    const timer = setInterval(() => void this.checkNow(project), this.deps.intervalMs ?? 10_000);
    timer.unref();
    this.timers.set(project, timer);
    void this.checkNow(project);
  }

  unwatch(project: string): void {
    clearInterval(this.timers.get(project));
    this.timers.delete(project);
    if (this.current.delete(project)) this.deps.publish(project, null);
  }

  /** One round now (or the one already running); null when the project is not running. */
  checkNow(project: string): Promise<ProjectHealth | null> {
    const running = this.inFlight.get(project);
    if (running) return running;
    const round = (async () => {
      const target = this.deps.target(project);
      if (!target) return null;
      const health = await probeHealth(target, this.isExternalMirror(project));
      // Stopped while probing: drop the result rather than show a badge for a project that no longer runs.
      if (!this.timers.has(project)) return null;
      this.current.set(project, health);
      this.deps.publish(project, health);
      return health;
    })().finally(() => this.inFlight.delete(project));
    this.inFlight.set(project, round);
    return round;
  }

  stopAll(): void {
    for (const project of [...this.timers.keys()]) this.unwatch(project);
  }
}
