import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import {
  type CreateProjectInput,
  PROJECT_SECRET_NAMES,
  type ProjectSecretName,
  type ProjectSummary,
  ProjectSummarySchema,
} from '../../shared/api/schemas.js';
import {
  PROJECT_SETTING_ENV_ENTRIES,
  type ProjectSetting,
  projectSettingEnvNames,
} from '../../shared/registry/index.js';
import { readProjectEnv } from '../env/index.js';
import type { SecretStore } from './secret-store.js';

/** What is kept on disk for a project, secrets excluded (they live in the SecretStore). */
const StoredProjectSchema = ProjectSummarySchema.pick({
  id: true,
  name: true,
  kind: true,
  apiUrl: true,
  projectId: true,
  publishableClientKey: true,
  folder: true,
  createdAt: true,
}).extend({ seedUsers: z.number().int().optional() });
type StoredProject = z.output<typeof StoredProjectSchema>;

/** Not one of the secrets a user enters: the companion creates it (see `Workspace.createMirrorReader`). */
const MIRROR_READER_SECRET = 'mirrorReaderUrl';

export class ProjectInputError extends Error {
  override readonly name = 'ProjectInputError';
}

/** Values a connected project's folder provides, read the way the dual SDK reads them (HEXCLAVE_* first). */
function valuesFromFolder(folder: string): Partial<Record<string, string>> {
  // The companion sits beside the developer's dev server, so the folder is read as `next dev` reads it, whatever
  // NODE_ENV the companion itself runs with.
  const report = readProjectEnv(folder, { processEnv: null, nodeEnv: 'development' });
  const pick = (setting: ProjectSetting) => {
    for (const name of projectSettingEnvNames(setting)) {
      const hit = report.resolutions.find((r) => r.canonicalName === name)?.effective?.value;
      if (hit) return hit;
    }
    return undefined;
  };
  return Object.fromEntries(
    (Object.keys(PROJECT_SETTING_ENV_ENTRIES) as ProjectSetting[]).map((setting) => [setting, pick(setting)]),
  );
}

/** Projects the companion knows about, persisted in the app-data folder; secrets go to the SecretStore. */
export class ProjectStore {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'projects.json');
  }

  private read(): StoredProject[] {
    if (!existsSync(this.file)) return [];
    const parsed = z.array(StoredProjectSchema).safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) {
      throw new ProjectInputError(`${this.file} is not a valid project list. Move it aside to start over.`);
    }
    return parsed.data;
  }

  private write(projects: StoredProject[]): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(projects, null, 2));
    renameSync(temp, this.file);
  }

  private summarize(project: StoredProject): ProjectSummary {
    const present = new Set(this.secrets.keys(project.id));
    const secrets = Object.fromEntries(PROJECT_SECRET_NAMES.map((n) => [n, present.has(n)])) as Record<
      ProjectSecretName,
      boolean
    >;
    const syncSource =
      project.kind === 'emulator'
        ? 'emulator'
        : secrets.internalDatabaseUrl
          ? 'internal-database'
          : project.apiUrl && secrets.secretServerKey
            ? 'api'
            : 'none';
    const { seedUsers: _seed, ...visible } = project;
    return { ...visible, syncSource, mirror: secrets.mirrorDatabaseUrl ? 'external' : 'embedded', secrets };
  }

  list(): ProjectSummary[] {
    return this.read().map((p) => this.summarize(p));
  }

  get(id: string): ProjectSummary {
    const project = this.read().find((p) => p.id === id);
    if (!project) throw new ProjectInputError(`No project with id "${id}". Pick one from the project list.`);
    return this.summarize(project);
  }

  /** Demo users an emulator project asked for at creation. */
  seedUsers(id: string): number {
    return this.read().find((p) => p.id === id)?.seedUsers ?? 0;
  }

  secret(id: string, name: ProjectSecretName): string | undefined {
    return this.secrets.get(id, name);
  }

  /** Create a project; a connected project must end up with at least an API URL and a project id. */
  create(input: CreateProjectInput): ProjectSummary {
    const id = randomUUID();
    const createdAt = Date.now();
    let project: StoredProject;
    const secrets: Partial<Record<ProjectSecretName, string>> = {};
    if (input.kind === 'emulator') {
      const index = this.read().filter((p) => p.kind === 'emulator').length + 1;
      project = {
        id,
        name: input.name ?? (index === 1 ? 'Local emulator' : `Local emulator ${index}`),
        kind: 'emulator',
        apiUrl: null,
        projectId: null,
        publishableClientKey: null,
        folder: null,
        ...(input.seedUsers ? { seedUsers: input.seedUsers } : {}),
        createdAt,
      };
    } else {
      const fromFolder = input.folder ? valuesFromFolder(input.folder) : {};
      const apiUrl = input.apiUrl ?? fromFolder.apiUrl ?? null;
      const projectId = input.projectId ?? fromFolder.projectId ?? null;
      if (!apiUrl || !projectId) {
        const missing = [!apiUrl && 'API URL', !projectId && 'project id'].filter(Boolean).join(' and ');
        throw new ProjectInputError(
          `Missing ${missing}: enter it by hand${input.folder ? `, or set HEXCLAVE_*/STACK_* variables in ${input.folder}/.env` : ' or pick your project folder'}.`,
        );
      }
      project = {
        id,
        name: input.name ?? (input.folder ? basename(input.folder) : new URL(apiUrl).host),
        kind: 'connected',
        apiUrl,
        projectId,
        publishableClientKey: input.publishableClientKey ?? fromFolder.publishableClientKey ?? null,
        folder: input.folder ?? null,
        createdAt,
      };
      for (const name of PROJECT_SECRET_NAMES) {
        const value = input[name] ?? fromFolder[name];
        if (value) secrets[name] = value;
      }
    }
    for (const [name, value] of Object.entries(secrets)) this.secrets.set(id, name, value);
    this.write([...this.read(), project]);
    return this.summarize(project);
  }

  setSecret(id: string, name: ProjectSecretName, value: string): void {
    this.secrets.set(id, name, value);
  }

  /** The read-only role's URL on an external mirror, once the companion created that role. */
  mirrorReaderUrl(id: string): string | undefined {
    return this.secrets.get(id, MIRROR_READER_SECRET);
  }

  setMirrorReaderUrl(id: string, url: string): void {
    this.secrets.set(id, MIRROR_READER_SECRET, url);
  }

  /** Record what a running emulator issued for an emulator project (its URL and ids change per launch). */
  attachEmulator(
    id: string,
    values: { apiUrl: string; projectId: string; publishableClientKey: string },
  ): void {
    this.write(this.read().map((p) => (p.id === id ? { ...p, ...values } : p)));
  }

  remove(id: string): void {
    this.write(this.read().filter((p) => p.id !== id));
    this.secrets.deleteNamespace(id);
  }
}
