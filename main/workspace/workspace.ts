import { chmodSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateProjectInput, ProjectSummary } from '../../shared/api/schemas.js';
import type { ProjectWithRuntime, RuntimeState } from '../../shared/api/workspace-schemas.js';
import type { EventBus } from '../api/events.js';
import { postgresClusterDir } from '../app-paths.js';
import type { MailboxReader } from '../emulator/index.js';
import { createMirrorReaderRole, type MirrorSettings } from '../mirror/index.js';
import { removeOrphanedClusterHomes, stopClustersUnder } from '../postgres/index.js';
import { ProjectStore, type SecretStore } from '../projects/index.js';
import { TrafficHub, toSummary } from '../traffic/index.js';
import { CheckHistory } from './check-history.js';
import { HealthMonitor, type HealthTarget } from './health.js';
import { KeptPorts } from './kept-ports.js';
import { ProjectMailboxes } from './mailboxes.js';
import { ProjectRuntime } from './project-runtime.js';
import type { RuntimeConfig, RuntimeReady } from './runtime-protocol.js';

export interface WorkspaceOptions {
  /** App-data folder: projects.json, per-project files (check history, MCP descriptor, status for MCP). */
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly events: EventBus;
  /** Postgres cluster folder of a project (defaults under the app-data folder, reachable by `postgres` as root). */
  readonly clusterDir?: (project: string) => string;
  /** Between health probes of a running project (default 10 s). */
  readonly healthIntervalMs?: number;
}

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
}

const STATUS_FILE_INTERVAL_MS = 1000;

/**
 * Every project the companion knows and its running services. Each running project has its own worker thread,
 * Postgres cluster and ports (all picked free), so several projects run side by side without clashes.
 */
export class Workspace {
  readonly projects: ProjectStore;
  private readonly runtimes = new Map<string, ProjectRuntime>();
  private readonly hubs = new Map<string, TrafficHub>();
  private readonly lastStatusWrite = new Map<string, number>();
  /** Page origin → project, so an overlay's snapshots follow the page's exchanges. */
  private readonly pageProjects = new Map<string, string>();
  /** Backend, keys, mirror and sync badges of running projects, from real probes. */
  readonly health: HealthMonitor;

  private readonly mailboxes: ProjectMailboxes;

  constructor(private readonly options: WorkspaceOptions) {
    this.projects = new ProjectStore(options.dataDir, options.secrets);
    this.health = new HealthMonitor(
      {
        target: (project) => this.healthTarget(project),
        publish: (project, health) => options.events.publish('project.health', { project, health }),
        ...(options.healthIntervalMs ? { intervalMs: options.healthIntervalMs } : {}),
      },
      (project) => this.projects.get(project).mirror === 'external',
    );
    this.mailboxes = new ProjectMailboxes((project, mailbox) =>
      options.events.publish('mail.received', { project, mailbox }),
    );
    // Clusters that deleted data folders left behind (gigabytes nothing can reach again) go, in the background: only
    // homes whose data folder is gone are touched, so never this workspace's.
    void removeOrphanedClusterHomes().catch(() => undefined);
  }

  get secretStore(): { kind: SecretStore['kind']; warning: string | null } {
    return { kind: this.options.secrets.kind, warning: this.options.secrets.warning };
  }

  projectDir(project: string): string {
    return join(this.options.dataDir, 'projects', project);
  }

  list(): ProjectWithRuntime[] {
    return this.projects
      .list()
      .map((p) => ({ ...p, runtime: this.runtimeState(p.id), health: this.health.get(p.id) }));
  }

  runtimeState(project: string): RuntimeState {
    return (
      this.runtimes.get(project)?.state ?? {
        state: 'stopped',
        message: null,
        apiUrl: null,
        proxyUrl: null,
        startedAtMillis: null,
      }
    );
  }

  async create(input: CreateProjectInput): Promise<ProjectSummary> {
    const summary = this.projects.create(input);
    this.options.events.publish('projects.changed', { project: summary.id });
    void this.start(summary.id);
    return summary;
  }

  /**
   * Remove a project and everything of it on this machine: its services are stopped (any Postgres server still
   * running on its clusters too), then its clusters, its files (MCP descriptor, status, check history, call log)
   * and its secrets are deleted.
   */
  async remove(project: string): Promise<void> {
    this.projects.get(project);
    await this.stop(project);
    this.health.unwatch(project);
    const clusters = this.clusterDir(project);
    await stopClustersUnder(clusters);
    rmSync(clusters, { recursive: true, force: true });
    rmSync(this.projectDir(project), { recursive: true, force: true });
    removeIfEmpty(dirname(clusters));
    this.projects.remove(project);
    this.runtimes.delete(project);
    this.hubs.delete(project);
    for (const [origin, owner] of this.pageProjects) if (owner === project) this.pageProjects.delete(origin);
    this.options.events.publish('projects.changed', { project });
  }

  /**
   * Folder of a project's Postgres clusters (the emulator's, or an embedded mirror's), under the workspace's own
   * data folder: two workspaces (a test's, the user's) never share clusters.
   */
  private clusterDir(project: string): string {
    return (
      this.options.clusterDir?.(project) ??
      postgresClusterDir(join('projects', project), this.options.dataDir)
    );
  }

  traffic(project: string): TrafficHub {
    let hub = this.hubs.get(project);
    if (!hub) {
      hub = new TrafficHub(
        () => {
          const { projectId } = this.projects.get(project);
          const apiUrl = this.runtimes.get(project)?.ready?.apiUrl;
          return {
            expectedMode: 'unknown',
            ...(projectId ? { projectId } : {}),
            ...(apiUrl ? { apiBaseUrls: [apiUrl] } : {}),
          };
        },
        undefined,
        undefined,
        (exchange) => {
          const state = this.runtimeState(project);
          const running = state.state === 'running';
          const finding = this.keptPorts(project).deadPortFinding(
            exchange,
            {
              api: running && this.projects.get(project).kind === 'emulator' ? state.apiUrl : null,
              proxy: running ? state.proxyUrl : null,
            },
            (url) => this.servingProject(url) !== undefined,
          );
          return finding ? [finding] : [];
        },
      );
      hub.subscribe((item) =>
        this.options.events.publish('traffic.item', { project, item: toSummary(item) }),
      );
      this.hubs.set(project, hub);
    }
    return hub;
  }

  /** Where a running project's SDK traffic goes: its backend (the emulator, or the configured API URL) and its proxy. */
  backendUrls(project: string): string[] {
    const { apiUrl, proxyUrl } = this.runtimeState(project);
    return [apiUrl, proxyUrl].filter((url): url is string => url !== null);
  }

  /**
   * The hub of the project a page talks to: the running project whose backend or proxy has the exchange's origin;
   * a page's later snapshots follow its last exchange; with one running project, that one. Called for every overlay
   * report, so it reads only in-memory runtime state.
   */
  trafficFor(hint: { pageUrl: string; backendUrl: string | null }): TrafficHub | null {
    const pageOrigin = originOf(hint.pageUrl);
    const backendOrigin = originOf(hint.backendUrl);
    const running = [...this.runtimes.keys()].filter((id) => this.runtimeState(id).state === 'running');
    let project = backendOrigin ? this.servingProject(backendOrigin) : undefined;
    // An app still aimed at a port this project used before: its reports go there, flagged (KeptPorts).
    if (!project && backendOrigin)
      project = this.projects.list().find((p) => this.keptPorts(p.id).knows(backendOrigin))?.id;
    if (!project && pageOrigin) project = this.pageProjects.get(pageOrigin);
    if (!project && running.length === 1) project = running[0];
    if (!project) return null;
    if (pageOrigin) this.pageProjects.set(pageOrigin, project);
    return this.traffic(project);
  }

  /** The running project whose backend or proxy has this URL's origin. */
  private servingProject(url: string): string | undefined {
    const origin = originOf(url);
    return [...this.runtimes.keys()].find(
      (id) =>
        this.runtimeState(id).state === 'running' && this.backendUrls(id).some((u) => originOf(u) === origin),
    );
  }

  /** The ports a project listened on, kept in its folder for the next start. */
  private keptPorts(project: string): KeptPorts {
    return new KeptPorts(join(this.projectDir(project), 'ports.json'));
  }

  /** The project a page's overlay reports went to, if any. */
  projectOfPage(pageUrl: string): string | null {
    const pageOrigin = originOf(pageUrl);
    return (pageOrigin && this.pageProjects.get(pageOrigin)) ?? null;
  }

  private configFor(summary: ProjectSummary): RuntimeConfig {
    const secret = (name: Parameters<ProjectStore['secret']>[1]) => this.projects.secret(summary.id, name);
    const dataDir = this.clusterDir(summary.id);
    const internalDatabaseUrl = secret('internalDatabaseUrl');
    const secretServerKey = secret('secretServerKey');
    const source: RuntimeConfig['source'] =
      summary.kind === 'emulator'
        ? { kind: 'emulator' }
        : internalDatabaseUrl
          ? { kind: 'database', url: internalDatabaseUrl }
          : summary.apiUrl && summary.projectId && secretServerKey
            ? { kind: 'api', apiUrl: summary.apiUrl, projectId: summary.projectId, secretServerKey }
            : null;
    return {
      project: summary.id,
      dataDir,
      emulator:
        summary.kind === 'emulator'
          ? { compat: 'dual', seedUsers: this.projects.seedUsers(summary.id) }
          : null,
      source,
      mirrorUrl: secret('mirrorDatabaseUrl') ?? null,
      proxyTarget: summary.kind === 'emulator' ? null : summary.apiUrl,
      ports: (({ api, proxy }) => ({ api, proxy }))(this.keptPorts(summary.id).read()),
    };
  }

  async start(project: string): Promise<RuntimeState> {
    const summary = this.projects.get(project);
    let runtime = this.runtimes.get(project);
    if (runtime && (runtime.state.state === 'running' || runtime.state.state === 'starting'))
      return runtime.state;
    const events = this.options.events;
    runtime = new ProjectRuntime(this.configFor(summary), this.traffic(project), {
      state: (state) => {
        events.publish('runtime.state', { project, runtime: state });
        if (state.state === 'running') this.health.watch(project);
        else this.health.unwatch(project);
      },
      status: (status, sample) => {
        events.publish('sync.status', { project, status, sample });
        this.writeStatusForMcp(project, status);
      },
      event: (event) => events.publish('sync.event', { project, event }),
    });
    this.runtimes.set(project, runtime);
    return runtime.start((ready) => this.onReady(project, ready));
  }

  private onReady(project: string, ready: RuntimeReady): void {
    this.keptPorts(project).record({
      api: ready.emulator ? ready.apiUrl : null,
      proxy: ready.proxyUrl,
    });
    if (ready.emulator) {
      this.projects.attachEmulator(project, {
        apiUrl: ready.apiUrl ?? '',
        projectId: ready.emulator.projectId,
        publishableClientKey: ready.emulator.publishableClientKey,
      });
      this.projects.setSecret(project, 'secretServerKey', ready.emulator.secretServerKey);
      this.projects.setSecret(project, 'superSecretAdminKey', ready.emulator.superSecretAdminKey);
      this.mailboxes.attach(project, ready.emulator.internalDatabaseUrl).catch(() => {});
    }
    this.writeMcpDescriptor(project, ready);
    this.options.events.publish('projects.changed', { project });
  }

  /**
   * What `hexclave-companion mcp --project <id>` needs: the mirror and backend of this project. The mirror URL is
   * the read-only role's: ours for an embedded mirror, the one created with "Create a read-only role" for an
   * external one. An external mirror's own URL (which can write) is a user secret and is never written here.
   */
  private writeMcpDescriptor(project: string, ready: RuntimeReady): void {
    const summary = this.projects.get(project);
    const descriptor = {
      project,
      name: summary.name,
      apiUrl: ready.apiUrl,
      projectId: summary.projectId,
      publishableClientKey: summary.publishableClientKey,
      mirrorDatabaseUrl: this.readerUrl(project, ready),
      statusFile: join(this.projectDir(project), 'sync-status.json'),
    };
    writePrivateJson(join(this.projectDir(project), 'mcp.json'), descriptor);
  }

  private readerUrl(project: string, ready: RuntimeReady): string | null {
    return ready.mirrorReaderUrl ?? this.projects.mirrorReaderUrl(project) ?? null;
  }

  private writeStatusForMcp(project: string, status: unknown): void {
    const now = Date.now();
    if (now - (this.lastStatusWrite.get(project) ?? 0) < STATUS_FILE_INTERVAL_MS) return;
    this.lastStatusWrite.set(project, now);
    writePrivateJson(join(this.projectDir(project), 'sync-status.json'), status);
  }

  async stop(project: string): Promise<RuntimeState> {
    await this.mailboxes.detach(project);
    const runtime = this.runtimes.get(project);
    return runtime ? runtime.stop() : this.runtimeState(project);
  }

  runtime(project: string): ProjectRuntime | undefined {
    return this.runtimes.get(project);
  }

  running(project: string): ProjectRuntime {
    const runtime = this.runtimes.get(project);
    if (runtime?.state.state !== 'running') {
      const state = runtime?.state.state ?? 'stopped';
      throw new WorkspaceError(
        state === 'starting'
          ? 'This project is still starting; try again in a moment.'
          : `This project is ${state}. Start it from the project list first.`,
      );
    }
    return runtime;
  }

  /**
   * The mirror of a running project, for the read-only browser and SQL console, as its read-only role. An external
   * mirror without one falls back to the URL the sync writes with, which the mirror readers refuse with the
   * statements that create a reader (or the "Create a read-only role" button, `createMirrorReader`).
   */
  mirrorSettings(project: string): MirrorSettings {
    const ready = this.running(project).ready;
    const url = ready ? (this.readerUrl(project, ready) ?? ready.mirrorUrl) : null;
    if (!url) throw new WorkspaceError('This project has no mirror database yet.');
    return { url, schema: 'public', statementTimeoutMs: 5000, lockTimeoutMs: 1000 };
  }

  /**
   * Create the read-only role on a project's external mirror through the URL the user gave (which must be allowed
   * to create roles), keep its URL as a project secret and publish it to `mcp --project`.
   */
  async createMirrorReader(project: string): Promise<{ role: string; created: boolean }> {
    const runtime = this.running(project);
    const ready = runtime.ready;
    if (ready?.mirrorReaderUrl) return { role: new URL(ready.mirrorReaderUrl).username, created: false };
    const ownerUrl = this.projects.secret(project, 'mirrorDatabaseUrl');
    if (!ownerUrl)
      throw new WorkspaceError('This project has no external mirror URL to create the role with.');
    const reader = await createMirrorReaderRole(ownerUrl, { schema: 'public' });
    this.projects.setMirrorReaderUrl(project, reader.url);
    if (ready) this.writeMcpDescriptor(project, ready);
    this.options.events.publish('projects.changed', { project });
    return { role: reader.role, created: true };
  }

  /** The captured mail of a running emulator project (the Mail screen). */
  async mailbox(project: string): Promise<MailboxReader> {
    if (this.projects.get(project).kind !== 'emulator') {
      throw new WorkspaceError(
        'Only an emulator project captures e-mail; a connected project sends mail through its own backend.',
      );
    }
    this.running(project);
    const reader = await this.mailboxes.reader(project);
    if (!reader) throw new WorkspaceError('The mailbox is not open yet; try again in a moment.');
    return reader;
  }

  checks(project: string): CheckHistory {
    return new CheckHistory(join(this.projectDir(project), 'checks'));
  }

  /** What a running project's health badges are probed against; null when it is not running. */
  private healthTarget(project: string): HealthTarget | null {
    const runtime = this.runtimes.get(project);
    if (runtime?.state.state !== 'running' || !runtime.ready) return null;
    const summary = this.projects.get(project);
    return {
      apiUrl: runtime.ready.apiUrl ?? summary.apiUrl,
      projectId: summary.projectId,
      publishableClientKey: summary.publishableClientKey,
      secretServerKey: this.projects.secret(project, 'secretServerKey') ?? null,
      mirrorUrl: runtime.ready.mirrorUrl,
      hasSyncSource: summary.syncSource !== 'none',
      syncStatus: runtime.status().status,
    };
  }

  async stopAll(): Promise<void> {
    this.health.stopAll();
    await Promise.all([...this.runtimes.keys()].map((project) => this.stop(project)));
  }
}

function originOf(url: string | null): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

function writePrivateJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(value, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** The `projects` folder outside the app-data folder (root: /var/lib/…) goes once its last project is removed. */
function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Not there, or not empty: nothing to do.
  }
}
