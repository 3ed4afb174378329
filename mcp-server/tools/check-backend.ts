import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type CheckReport, CheckReportSchema } from '../../shared/checker/report.js';
import { capDeep, capList } from '../../shared/output-caps.js';
import { identifier } from '../../shared/registry/index.js';
import type { ServerContext } from '../context.js';
import { errorResult, structuredResult } from './tool-result.js';

/** What a person reads first: the verdict, who can authenticate, how many findings and why. */
function summary(report: CheckReport, omittedFindings: number): string {
  const yesNo = (works: boolean) => (works ? 'yes' : 'no');
  return [
    `Backend ${report.target.apiUrl}: ${report.backendClass} (old SDKs work: ${yesNo(report.oldSdkWorks)}, new SDKs: ${yesNo(report.newSdkWorks)}, mixed: ${yesNo(report.mixedWorks)}); ${report.counts.error} error, ${report.counts.warning} warning finding(s).`,
    ...report.classReasons.map((reason) => `- ${reason}`),
    ...(omittedFindings > 0
      ? [`${omittedFindings} finding(s) left out of the structured report to keep it under its size cap.`]
      : []),
  ].join('\n');
}

const inputSchema = {
  apiUrl: z
    .string()
    .url()
    .optional()
    .describe('Backend API URL to probe, e.g. http://localhost:8102 (default: the configured --api-url).'),
  projectId: z
    .string()
    .optional()
    .describe('Project id (UUID or "internal"; default: the configured project).'),
  timeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(60_000)
    .default(10_000)
    .describe('Per-request timeout in milliseconds.'),
};

// The checker's own report schema (docs/check-report.md): the tool returns exactly what `check --json` prints.
const outputSchema = CheckReportSchema.shape;

/** The configuration names to point at when a setting is missing, straight from the registry. */
function missingSettings(
  context: ServerContext,
  apiUrl: string | undefined,
  projectId: string | undefined,
): string[] {
  const missing: string[] = [];
  if (!apiUrl) missing.push(`the API URL (--api-url or ${identifier('env.STACK_API_URL').new})`);
  if (!projectId) missing.push(`the project id (--project-id or ${identifier('env.STACK_PROJECT_ID').new})`);
  if (!context.config.publishableClientKey) {
    missing.push(`the publishable client key (${identifier('env.STACK_PUBLISHABLE_CLIENT_KEY').new})`);
  }
  return missing;
}

const severityRank = (severity: string) => ['error', 'warning', 'info'].indexOf(severity);

export function registerCheckBackendTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'check_backend',
    {
      title: 'Check a backend serves old and new SDKs',
      description:
        "Run the compatibility checker against a Stack/Hexclave backend: every scenario (project info, CORS preflight, sign-up, sign-in, users/me, both refresh paths, known errors, JWKS and token checks, OAuth authorize, server users list) as an old SDK (x-stack-* only), a new SDK (x-hexclave-* only) and a mixed client. Returns the checker's JSON report: backendClass dual / legacy / broken with reasons, whether old and new SDKs can authenticate, and findings naming the exact identifier that breaks. It signs up a throwaway user (deleted afterwards only when a secret server key is configured), so it is hidden under --read-only. Takes a few seconds.",
      inputSchema,
      outputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async (args) => {
      const apiUrl = (args.apiUrl ?? context.config.apiUrl ?? undefined)?.replace(/\/+$/, '');
      const projectId = args.projectId ?? context.config.projectId ?? undefined;
      const missing = missingSettings(context, apiUrl, projectId);
      if (missing.length > 0) {
        return errorResult(
          `check_backend needs ${missing.join(', ')}; set them in the MCP server's configuration.`,
        );
      }
      try {
        // The checker (and its HTTP probe) loads only when a check is asked for.
        const { runCheck } = await import('../../main/checker/index.js');
        const run = await runCheck({
          apiUrl: apiUrl!,
          projectId: projectId!,
          publishableClientKey: context.config.publishableClientKey!,
          ...(context.config.secretServerKey ? { secretServerKey: context.config.secretServerKey } : {}),
          timeoutMs: args.timeoutMs,
        });
        context.recordBackendCheck({
          backendClass: run.report.backendClass,
          checkedAt: run.report.startedAt,
          apiUrl: apiUrl!,
        });
        // Long evidence strings are cut (the shape stays the checker's schema). Findings past the byte cap are left
        // out, keeping errors first; the counts still count every finding.
        let findings = capList(run.report.findings);
        if (findings.omitted > 0) {
          findings = capList(
            [...run.report.findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)),
          );
        }
        const report = { ...capDeep(run.report, undefined, false).value, findings: findings.items };
        return structuredResult(outputSchema, report, summary(report, findings.omitted));
      } catch (error) {
        if (error instanceof Error && error.name === 'CannotRunError') return errorResult(error.message);
        throw error;
      }
    },
  );
}
