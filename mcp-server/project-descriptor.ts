import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { appDataDir } from '../main/app-paths.js';

/**
 * What the companion publishes for `hexclave-companion mcp --project <id>` when it starts a project
 * (main/workspace): the project's backend and mirror, and where it writes the running engine's status.
 */
export const ProjectDescriptorSchema = z.object({
  project: z.string(),
  name: z.string(),
  apiUrl: z.string().nullable(),
  projectId: z.string().nullable(),
  publishableClientKey: z.string().nullable(),
  /** Only for embedded mirrors; an external mirror's URL is the user's secret and is never written here. */
  mirrorDatabaseUrl: z.string().nullable(),
  statusFile: z.string(),
});
export type ProjectDescriptor = z.output<typeof ProjectDescriptorSchema>;

export function projectFilesDir(project: string): string {
  return join(appDataDir(), 'projects', project);
}

export function readProjectDescriptor(project: string): ProjectDescriptor {
  if (!/^[\w-]+$/.test(project)) throw new Error(`"${project}" is not a companion project id.`);
  const path = join(projectFilesDir(project), 'mcp.json');
  if (!existsSync(path)) {
    throw new Error(
      `Project "${project}" has not been started in Hexclave Companion on this machine (no ${path}). Start it in the companion, or pass --api-url and --mirror-database-url instead of --project.`,
    );
  }
  return ProjectDescriptorSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function callLogPath(project: string): string {
  return join(projectFilesDir(project), 'mcp-calls.jsonl');
}
