import { isAbsolute, relative, resolve } from 'node:path';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ScanDirError } from '../../main/scan/scan-dir-error.js';
import { ScanReportSchema } from '../../shared/scan/report.js';
import { VERDICT_KINDS } from '../../shared/scan/verdict.js';
import type { ServerContext } from '../context.js';
import { guarded, structuredResult } from './tool-result.js';

/** Most bytes of JSON one call returns: findings beyond it are cut (worst kept) and `truncated` says so. */
export const SCAN_OUTPUT_MAX_BYTES = 200_000;

const inputSchema = {
  dir: z
    .string()
    .default('.')
    .describe('Folder to scan, relative to the project folder (e.g. apps/web). Must stay inside it.'),
  verdicts: z
    .array(z.enum(VERDICT_KINDS))
    .optional()
    .describe(
      'Only findings with these verdicts (breaks, needs-new-sdk, prefer-new, keeps-working, out-of-scope).',
    ),
  maxFindings: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(200)
    .describe('Most findings to return, worst verdicts first; the summary still counts all of them.'),
};

function folderInside(projectDir: string, dir: string): string {
  const absolute = resolve(projectDir, dir);
  const rel = relative(projectDir, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ScanDirError(
      `"${dir}" is outside the project folder ${projectDir}; scan_project only reads folders inside it (start the server with --project-dir to change it).`,
    );
  }
  return absolute;
}

export function registerScanProjectTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'scan_project',
    {
      title: 'Scan the project for Stack/Hexclave identifiers',
      description:
        'Find every use of a Stack or Hexclave identifier in the project folder (code, .env files, YAML, Dockerfiles, shell scripts, HTML; .gitignore respected; comments and prose ignored) with file:line:column, the twin name, the policy, a verdict (breaks with SDK ≥ X, needs a newer SDK, keeps working but prefer the new name, keeps working indefinitely, out of scope) and the fix; plus the @stackframe/* versions each app runs (node_modules and lockfiles) and the hazards of that combination. Read-only. At most 1000 findings and about 200 kB per call, worst first.',
      inputSchema,
      outputSchema: ScanReportSchema.shape,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ dir, verdicts, maxFindings }) =>
      guarded(async () => {
        // The scanner's parsers (typescript, yaml, dockerfile-ast, parse5…) load on the first scan, not at startup.
        const { scanProject } = await import('../../main/scan/index.js');
        const full = scanProject(folderInside(context.config.projectDir, dir));
        const wanted = verdicts
          ? full.findings.filter((f) => verdicts.includes(f.verdict.kind))
          : full.findings;
        const worstFirst = [...wanted].sort(
          (a, b) => VERDICT_KINDS.indexOf(a.verdict.kind) - VERDICT_KINDS.indexOf(b.verdict.kind),
        );
        let kept = worstFirst.slice(0, maxFindings);
        let report = {
          ...full,
          findings: kept,
          truncated: full.truncated || kept.length < full.findings.length,
        };
        while (kept.length > 0 && Buffer.byteLength(JSON.stringify(report)) > SCAN_OUTPUT_MAX_BYTES) {
          kept = kept.slice(0, Math.floor(kept.length / 2));
          report = { ...report, findings: kept, truncated: true };
        }
        return structuredResult(ScanReportSchema.shape, report);
      }),
  );
}
