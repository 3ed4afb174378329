import { isAbsolute, relative, resolve } from 'node:path';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ProjectDirError, readProjectEnv } from '../../main/env/index.js';
import { capList, capString } from '../../shared/output-caps.js';
import { redactValue } from '../../shared/redact.js';
import type { ServerContext } from '../context.js';
import { guarded, structuredResult } from './tool-result.js';

const inputSchema = {
  dir: z
    .string()
    .default('.')
    .describe(
      'Folder to explain, relative to the project folder (e.g. apps/web in a monorepo). Must stay inside it.',
    ),
  nodeEnv: z
    .string()
    .regex(/^[a-z]+$/)
    .optional()
    .describe('NODE_ENV deciding which .env.$NODE_ENV files load (default: development).'),
  includeProcessEnv: z
    .boolean()
    .default(false)
    .describe(
      "Also read this MCP server's own environment as the highest layer. Off by default: your app's dev server has its own environment.",
    ),
};

const candidateSchema = z.object({
  name: z.string(),
  family: z.enum(['stack', 'hexclave']),
  source: z.string().describe('process env, .env.local, …'),
  value: z.string().describe('The value, or a redaction marker for secrets.'),
});

const outputSchema = {
  dir: z.string(),
  nodeEnv: z.string(),
  files: z.array(z.object({ file: z.string(), present: z.boolean(), variableCount: z.number().int() })),
  configFile: z.object({ chosen: z.string().nullable(), shadowed: z.array(z.string()) }),
  variables: z.array(
    z.object({
      canonicalName: z.string().describe('The HEXCLAVE_* name the dual reader reads first.'),
      concept: z.string(),
      oldNames: z.array(z.string()),
      effective: candidateSchema
        .nullable()
        .describe('What the dual reader uses; null when nothing usable is set.'),
      candidates: z.array(candidateSchema),
      conflict: z.boolean(),
      warnings: z.array(z.string()),
      secret: z.boolean(),
    }),
  ),
  warnings: z.array(z.string()),
  truncated: z
    .boolean()
    .describe(
      'True when variables were left out or long values cut (marked "… [truncated, N bytes]") to stay within 48 kB.',
    ),
  secretsRedacted: z.literal(true),
};

/** A folder inside the project, or an error: the tool never reads .env files elsewhere on the machine. */
function folderInside(projectDir: string, dir: string): string {
  const absolute = resolve(projectDir, dir);
  const rel = relative(projectDir, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ProjectDirError(
      `"${dir}" is outside the project folder ${projectDir}; explain_env only reads folders inside it (start the server with --project-dir to change it).`,
    );
  }
  return absolute;
}

export function registerExplainEnvTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'explain_env',
    {
      title: 'Explain the project’s STACK_*/HEXCLAVE_* environment',
      description:
        'Explain how a project folder’s Stack/Hexclave environment resolves: which of .env, .env.local, .env.development(.local) set each STACK_* / HEXCLAVE_* variable, which name the dual reader uses (HEXCLAVE_* first), conflicts between the two families, empty values that mask the old name, and the config file (hexclave.config.ts / stack.config.ts) that would be found. Use it when a variable "is not picked up". Secret values are always redacted. Only reads folders inside the configured project folder.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ dir, nodeEnv, includeProcessEnv }) =>
      guarded(async () => {
        const report = readProjectEnv(folderInside(context.config.projectDir, dir), {
          nodeEnv: nodeEnv ?? 'development',
          processEnv: includeProcessEnv ? process.env : null,
        });
        const shown =
          (secret: boolean) =>
          (c: { name: string; family: 'stack' | 'hexclave'; source: string; value: string }) => ({
            name: c.name,
            family: c.family,
            source: c.source,
            value: secret ? redactValue(c.value) : capString(c.value).text,
          });
        const variables = report.resolutions.map((r) => ({
          canonicalName: r.canonicalName,
          concept: r.concept,
          oldNames: [...r.oldNames],
          effective: r.effective ? shown(r.secret)(r.effective) : null,
          candidates: r.candidates.map(shown(r.secret)),
          conflict: r.conflict,
          warnings: [...r.warnings],
          secret: r.secret,
        }));
        const kept = capList(variables);
        const warnings = variables.flatMap((v) => v.warnings);
        const longValues = variables.some((v) => v.candidates.some((c) => c.value.endsWith(' bytes]')));
        return structuredResult(
          outputSchema,
          {
            dir: report.dir,
            nodeEnv: report.nodeEnv,
            files: report.files.map((f) => ({ ...f })),
            configFile: { chosen: report.configFile.chosen, shadowed: [...report.configFile.shadowed] },
            variables: kept.items,
            warnings,
            truncated: kept.omitted > 0 || kept.truncatedCells > 0 || longValues,
            secretsRedacted: true,
          },
          [
            `${variables.length} Stack/Hexclave variable(s) in ${report.dir} (NODE_ENV=${report.nodeEnv}); config file: ${report.configFile.chosen ?? 'none'}. Secret values are redacted.`,
            ...kept.items.map(
              (v) =>
                `- ${v.canonicalName}: ${v.effective ? `${v.effective.name} from ${v.effective.source}` : 'not set'}${v.conflict ? ' (conflict between the families)' : ''}`,
            ),
            ...(kept.omitted > 0 ? [`… and ${kept.omitted} more variable(s) left out (size cap).`] : []),
            ...warnings.map((w) => `! ${w}`),
          ].join('\n'),
        );
      }),
  );
}
