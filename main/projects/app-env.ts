import type { ProjectSecretName, ProjectSummary } from '../../shared/api/schemas.js';
import type { AppEnv } from '../../shared/api/workspace-schemas.js';
import { PROJECT_FIELD_LABELS } from '../../shared/project-fields.js';
import {
  appEnvNames,
  type EnvResolution,
  type ProjectSetting,
  projectSettingEnvNames,
} from '../../shared/registry/index.js';
import { type ProjectEnvReport, readProjectEnv } from '../env/index.js';

/** The settings an app needs in its `.env`, in the order they are written. */
const PUBLIC_SETTINGS = [
  'projectId',
  'publishableClientKey',
  'apiUrl',
] as const satisfies readonly ProjectSetting[];
/** Secrets the app may read from its `.env` (server side); the companion never shows their values. */
const SECRET_SETTINGS = [
  'secretServerKey',
  'superSecretAdminKey',
] as const satisfies readonly (ProjectSetting & ProjectSecretName)[];

function readFolder(folder: string): ProjectEnvReport | string {
  try {
    // As `next dev` reads it, like Connect my project did.
    return readProjectEnv(folder, { processEnv: null, nodeEnv: 'development' });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function resolutionOf(report: ProjectEnvReport, setting: ProjectSetting): EnvResolution | undefined {
  const names = projectSettingEnvNames(setting);
  return report.resolutions.find((r) => names.includes(r.canonicalName));
}

/** Why a secret is not set, in the words of `hexclave-companion env` when the folder has something to say. */
function whyNotSet(
  summary: ProjectSummary,
  setting: (typeof SECRET_SETTINGS)[number],
  report: ProjectEnvReport | string | null,
): string {
  if (!summary.folder || report === null) return 'It was not entered when this project was connected.';
  if (typeof report === 'string') return `The project folder cannot be read: ${report}`;
  const resolution = resolutionOf(report, setting);
  if (resolution?.warnings.length) return resolution.warnings.join(' ');
  if (resolution?.effective) {
    return `${resolution.effective.name} is set in ${resolution.effective.source} now, but was not when this project was connected: connect the folder again to pick it up.`;
  }
  const [hexclave, stack] = appEnvNames(setting);
  const files = report.files.filter((f) => f.present).map((f) => f.file);
  return `Neither ${hexclave} nor ${stack} is set in ${files.length ? files.join(', ') : 'any .env file'} of ${report.dir} (read as next dev reads them).`;
}

/**
 * What the developer's app needs, ready to paste: project id, publishable key and the API URL — the capture
 * proxy while the project runs, so the app's traffic shows in Traffic — under the HEXCLAVE_ name the new SDK reads
 * first and the STACK_ name the old SDK reads, both from the registry; and for each secret, set or why not.
 */
export function appEnvOf(
  summary: ProjectSummary,
  runtime: { proxyUrl: string | null; apiUrl: string | null },
): AppEnv {
  const apiUrl = runtime.proxyUrl ?? runtime.apiUrl ?? summary.apiUrl;
  const values: Record<(typeof PUBLIC_SETTINGS)[number], string | null> = {
    projectId: summary.projectId,
    publishableClientKey: summary.publishableClientKey,
    apiUrl,
  };
  const variables = PUBLIC_SETTINGS.map((setting) => ({
    setting,
    label: PROJECT_FIELD_LABELS[setting],
    value: values[setting],
    names: [...appEnvNames(setting)],
  }));
  const report = summary.kind === 'connected' && summary.folder ? readFolder(summary.folder) : null;
  const secrets = SECRET_SETTINGS.map((setting) => {
    const set = summary.secrets[setting];
    return {
      setting,
      label: PROJECT_FIELD_LABELS[setting],
      set,
      names: [...appEnvNames(setting)],
      reason: set ? null : whyNotSet(summary, setting, report),
    };
  });
  const warnings =
    report && typeof report !== 'string'
      ? [...PUBLIC_SETTINGS, ...SECRET_SETTINGS].flatMap((s) => resolutionOf(report, s)?.warnings ?? [])
      : [];
  const complete = variables.every((v) => v.value !== null);
  const dotenv = complete
    ? [
        `# ${summary.name}, from Hexclave Companion. New SDKs read the HEXCLAVE_ names first, older ones only the STACK_ names.`,
        ...(runtime.proxyUrl
          ? ['# The API URL is the companion’s capture proxy, so your app’s traffic shows in Traffic.']
          : []),
        ...variables.flatMap((v) => v.names.map((name) => `${name}=${v.value}`)),
        ...secrets.map((s) =>
          s.set
            ? `# ${s.names.join(' / ')}: set in the companion, not shown here (copy it from where you keep it).`
            : `# ${s.names.join(' / ')}: not set.`,
        ),
      ].join('\n')
    : null;
  return {
    apiUrl,
    apiUrlVia: runtime.proxyUrl ? 'proxy' : apiUrl ? 'backend' : null,
    variables,
    dotenv: dotenv === null ? null : `${dotenv}\n`,
    secrets,
    // A warning already given as a secret's reason is not repeated below it.
    warnings: [...new Set(warnings)].filter((w) => !secrets.some((s) => s.reason === w)),
  };
}
