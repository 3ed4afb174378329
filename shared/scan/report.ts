import { z } from 'zod';
import { CATEGORIES, POLICIES } from '../registry/types.js';
import { VERDICT_KINDS } from './verdict.js';

/** The scan's JSON output (`scan --json`, the Migrate screen, the scan_project MCP tool). */

export const ScanFindingSchema = z.object({
  file: z.string().describe('Path relative to the scanned folder, with / separators.'),
  line: z.number().int(),
  column: z.number().int(),
  identifier: z.string().describe('The name as the code has it.'),
  entryId: z.string().describe('The registry entry (hexclave-companion ids <entryId>).'),
  category: z.enum(CATEGORIES),
  family: z.enum(['stack', 'hexclave']),
  twin: z.string().nullable().describe('The same name in the other family, or null when there is none.'),
  policy: z.enum(POLICIES),
  verdict: z.object({
    kind: z.enum(VERDICT_KINDS),
    text: z.string(),
    since: z.string().nullable(),
    why: z.string(),
  }),
  fix: z.string(),
  /** Further entries the same text fits (a prefix such as `stack-refresh-` starts several cookie names). */
  alsoMatches: z.array(z.string()),
});
export type ScanFinding = z.output<typeof ScanFindingSchema>;

export const SdkGenerationSchema = z.enum(['stack', 'hexclave', 'unknown']);
export type SdkGeneration = z.output<typeof SdkGenerationSchema>;

export const InstalledPackageSchema = z.object({
  name: z.string(),
  /** The version that runs: node_modules if installed, else the lockfile's, else null. */
  version: z.string().nullable(),
  declared: z.string().nullable().describe('The range in package.json.'),
  source: z.enum(['node_modules', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'package.json']),
  lockfileVersion: z
    .string()
    .nullable()
    .describe('What the lockfile pins, when it differs from node_modules.'),
  generation: SdkGenerationSchema,
});

export const DeployAppSchema = z.object({
  dir: z.string().describe('App folder relative to the scanned folder ("." for the root).'),
  name: z.string().nullable(),
  packages: z.array(InstalledPackageSchema),
  generation: SdkGenerationSchema,
});
export type DeployApp = z.output<typeof DeployAppSchema>;

export const DeployHazardSchema = z.object({
  id: z.string(),
  title: z.string(),
  detail: z.string(),
  apps: z.array(z.string()),
  entryIds: z.array(z.string()).describe('Registry entries behind the hazard.'),
});
export type DeployHazard = z.output<typeof DeployHazardSchema>;

export const ScanReportSchema = z.object({
  root: z.string(),
  filesScanned: z.number().int(),
  durationMs: z.number(),
  findings: z.array(ScanFindingSchema),
  /** True when findings were cut at the caller's cap; the summary still counts all of them. */
  truncated: z.boolean(),
  summary: z.object({
    findings: z.number().int(),
    files: z.number().int(),
    byVerdict: z.record(z.enum(VERDICT_KINDS), z.number().int()),
  }),
  deploy: z.object({ apps: z.array(DeployAppSchema), hazards: z.array(DeployHazardSchema) }),
  /** Files that could not be read or parsed, with why; they are left out, not guessed at. */
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
});
export type ScanReport = z.output<typeof ScanReportSchema>;
