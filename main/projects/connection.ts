import {
  type CreateProjectInput,
  PROJECT_SECRET_NAMES,
  type ProjectSecretName,
} from '../../shared/api/schemas.js';
import { checkProjectField, type ProjectField } from '../../shared/project-fields.js';
import {
  PROJECT_SETTING_ENV_ENTRIES,
  type ProjectSetting,
  projectSettingEnvNames,
} from '../../shared/registry/index.js';
import { readProjectEnv } from '../env/index.js';

/** A value a connected project's folder provides, and where it was read (`NEXT_PUBLIC_STACK_PROJECT_ID in .env`). */
export interface FolderValue {
  readonly value: string;
  readonly from: string;
}

/** Values a connected project's folder provides, read the way the dual SDK reads them (HEXCLAVE_* first). */
function valuesFromFolder(folder: string): Partial<Record<ProjectSetting, FolderValue>> {
  // The companion sits beside the developer's dev server, so the folder is read as `next dev` reads it, whatever
  // NODE_ENV the companion itself runs with.
  const report = readProjectEnv(folder, { processEnv: null, nodeEnv: 'development' });
  const pick = (setting: ProjectSetting): FolderValue | undefined => {
    for (const name of projectSettingEnvNames(setting)) {
      const hit = report.resolutions.find((r) => r.canonicalName === name)?.effective;
      if (hit?.value) return { value: hit.value, from: `${hit.name} in ${hit.source}` };
    }
    return undefined;
  };
  const values: Partial<Record<ProjectSetting, FolderValue>> = {};
  for (const setting of Object.keys(PROJECT_SETTING_ENV_ENTRIES) as ProjectSetting[]) {
    const value = pick(setting);
    if (value) values[setting] = value;
  }
  return values;
}

type ConnectedInput = Extract<CreateProjectInput, { kind: 'connected' }>;

/** A connected project's settings once the folder filled in what was not typed, with where each came from. */
export interface ResolvedConnection {
  readonly apiUrl: string | null;
  readonly projectId: string | null;
  readonly publishableClientKey: string | null;
  readonly secrets: Partial<Record<ProjectSecretName, string>>;
  /** `typed`, or the variable and file a value came from. */
  readonly from: Partial<Record<ProjectField, string>>;
  /** What is wrong with the values, by field; errors block creating the project. */
  readonly problems: readonly { field: ProjectField; level: 'error' | 'warning'; message: string }[];
}

/** Resolve and check the settings of a connected project without storing anything. */
export function resolveConnection(input: ConnectedInput): ResolvedConnection {
  const fromFolder = input.folder ? valuesFromFolder(input.folder) : {};
  const from: Partial<Record<ProjectField, string>> = {};
  const value = (field: ProjectSetting | ProjectSecretName): string | undefined => {
    const typed = input[field as keyof ConnectedInput] as string | undefined;
    if (typed) {
      from[field] = 'typed';
      return typed;
    }
    const read = fromFolder[field as ProjectSetting];
    if (read) from[field] = read.from;
    return read?.value;
  };
  const apiUrl = value('apiUrl') ?? null;
  const projectId = value('projectId') ?? null;
  const publishableClientKey = value('publishableClientKey') ?? null;
  const secrets: Partial<Record<ProjectSecretName, string>> = {};
  for (const name of PROJECT_SECRET_NAMES) {
    const secret = value(name);
    if (secret) secrets[name] = secret;
  }
  const problems: { field: ProjectField; level: 'error' | 'warning'; message: string }[] = [];
  const values: Partial<Record<ProjectField, string | null>> = {
    apiUrl,
    projectId,
    publishableClientKey,
    ...secrets,
  };
  for (const [field, text] of Object.entries(values) as [ProjectField, string | null][]) {
    const problem = text ? checkProjectField(field, text, { projectId: projectId ?? undefined }) : null;
    if (!problem) continue;
    const where = from[field] && from[field] !== 'typed' ? ` (${from[field]})` : '';
    problems.push({ field, level: problem.level, message: `${problem.message}${where}` });
  }
  return { apiUrl, projectId, publishableClientKey, secrets, from, problems };
}
