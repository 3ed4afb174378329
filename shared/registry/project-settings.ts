import { identifier } from './table.js';
import type { IdentifierEntry } from './types.js';

/**
 * The env entries that supply each connection setting of a project, server name first, then the client names
 * (Next.js, Vite). Both the desktop app's "Connect my project" folder reader and the MCP server read settings
 * through this one table.
 */
export const PROJECT_SETTING_ENV_ENTRIES = {
  apiUrl: ['env.STACK_API_URL', 'env.NEXT_PUBLIC_STACK_API_URL', 'env.VITE_STACK_API_URL'],
  projectId: ['env.STACK_PROJECT_ID', 'env.NEXT_PUBLIC_STACK_PROJECT_ID', 'env.VITE_STACK_PROJECT_ID'],
  publishableClientKey: [
    'env.STACK_PUBLISHABLE_CLIENT_KEY',
    'env.NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY',
    'env.VITE_STACK_PUBLISHABLE_CLIENT_KEY',
  ],
  secretServerKey: ['env.STACK_SECRET_SERVER_KEY'],
  superSecretAdminKey: ['env.STACK_SUPER_SECRET_ADMIN_KEY'],
} as const;

export type ProjectSetting = keyof typeof PROJECT_SETTING_ENV_ENTRIES;

/** The canonical (HEXCLAVE_*) env names of a setting, in reading order; the dual reader finds their STACK_ twins. */
export function projectSettingEnvNames(setting: ProjectSetting): string[] {
  return PROJECT_SETTING_ENV_ENTRIES[setting].map((id) => identifier(id).new!);
}

/**
 * The entry an app's `.env` sets for a setting: the one the SDK reads in the browser and on the server alike
 * (`NEXT_PUBLIC_…`), or, for a server-only secret, its only entry. Its `old` (STACK_) and `new` (HEXCLAVE_) names
 * are the pair a `.env` for both SDK generations sets.
 */
export function appEnvEntry(setting: ProjectSetting): IdentifierEntry {
  const entries = PROJECT_SETTING_ENV_ENTRIES[setting].map((id) => identifier(id));
  return entries.find((entry) => entry.old.startsWith('NEXT_PUBLIC_')) ?? entries[0]!;
}

/** `[HEXCLAVE name, STACK name]` of a setting's `.env` entry: the new SDK reads the first, the old one the second. */
export function appEnvNames(setting: ProjectSetting): readonly [hexclave: string, stack: string] {
  const entry = appEnvEntry(setting);
  return [entry.new!, entry.old];
}
