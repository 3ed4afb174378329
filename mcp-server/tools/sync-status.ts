import { existsSync, readFileSync, statSync } from 'node:fs';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { capDeep } from '../../shared/output-caps.js';
import { type SyncStatus, SyncStatusSchema } from '../../shared/sync/status.js';
import type { ServerContext } from '../context.js';
import { errorResult, structuredResult } from './tool-result.js';

function summary(project: string, status: SyncStatus, ageMs: number, stale: boolean): string {
  const lines = [
    `Sync engine of ${project}: ${status.state}${stale ? ` — but the snapshot is ${Math.round(ageMs / 1000)} s old: the project is stopped or the app closed` : ''}.`,
  ];
  for (const target of status.targets) {
    lines.push(
      `- ${target.id} (${target.connection}): ${target.state}${target.lastError ? ` (last error: ${target.lastError})` : ''}`,
    );
  }
  if (status.source.lastError) lines.push(`Source error: ${status.source.lastError}`);
  return lines.join('\n');
}

/** A snapshot older than this means the companion stopped publishing (project stopped or app closed). */
const STALE_AFTER_MS = 10_000;

const inputSchema = z.strictObject({});

const outputSchema = {
  project: z.string(),
  snapshotAgeMs: z.number().describe('How old the snapshot is; the companion writes one per second.'),
  stale: z
    .boolean()
    .describe('True when the engine is no longer publishing (stopped project or closed app).'),
  status: SyncStatusSchema,
};

export function registerSyncStatusTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'sync_status',
    {
      title: 'Sync engine status',
      description:
        'The live status of the user mirror’s sync engine for the companion project this server was started with (--project): per-table sequencer stats, queue, fusebox, and per mapping the checkpoint, backlog in ids and rows, rows/s, change-to-mirror lag p50/p99 and the last error. Use it when mirrored data looks stale. Only available when the Hexclave Companion app (or `hexclave-companion serve`) is running the project; it reads the snapshot the app publishes once a second.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => {
      const { statusFile, project } = context.config;
      if (!statusFile || !project) {
        return errorResult(
          'sync_status needs the companion project: start the server with `hexclave-companion mcp --project <id>` (the MCP screen of the companion shows the exact command).',
        );
      }
      if (!existsSync(statusFile)) {
        return errorResult(
          `No sync status has been published for project ${project} yet: start the project in Hexclave Companion and wait for its sync engine to run.`,
        );
      }
      const parsed = SyncStatusSchema.safeParse(JSON.parse(readFileSync(statusFile, 'utf8')));
      if (!parsed.success) return errorResult(`The status file ${statusFile} is not a sync status snapshot.`);
      const snapshotAgeMs = Math.max(0, Date.now() - statSync(statusFile).mtimeMs);
      const stale = snapshotAgeMs > STALE_AFTER_MS;
      // Error texts can be long (a driver's stack of causes): cut and marked; the snapshot's shape never changes.
      const status = capDeep(parsed.data, undefined, false).value;
      return structuredResult(
        outputSchema,
        { project, snapshotAgeMs, stale, status },
        summary(project, status, snapshotAgeMs, stale),
      );
    },
  );
}
