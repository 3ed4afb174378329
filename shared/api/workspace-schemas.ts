import { z } from 'zod';
import { BackendClassSchema, FindingSchema } from '../checker/report.js';
import { ProjectSummarySchema } from './schemas.js';

/** A project's background runtime (emulator, sync engine, capture proxy), run in a worker thread. */
export const RuntimeStateSchema = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'failed']),
  /** Why it failed or what it is waiting for, in plain words. */
  message: z.string().nullable(),
  apiUrl: z.string().nullable(),
  /** Point your SDK's API URL here to see its traffic in the Traffic screen. */
  proxyUrl: z.string().nullable(),
  startedAtMillis: z.number().nullable(),
});
export type RuntimeState = z.output<typeof RuntimeStateSchema>;

export const ProjectWithRuntimeSchema = ProjectSummarySchema.extend({ runtime: RuntimeStateSchema });
export type ProjectWithRuntime = z.output<typeof ProjectWithRuntimeSchema>;

/** One point of the monitor's charts: sampled once a second, an hour kept. */
export const SyncSampleSchema = z.object({
  at: z.number(),
  rowsPerSec: z.number(),
  lagP50Ms: z.number().nullable(),
  lagP99Ms: z.number().nullable(),
  backlogRows: z.number(),
  backlogIds: z.number(),
});
export type SyncSample = z.output<typeof SyncSampleSchema>;

export const SyncErrorSchema = z.object({
  at: z.number(),
  stage: z.string(),
  target: z.string().nullable(),
  /** Already redacted of connection strings, keys and tokens. */
  message: z.string(),
});

const TrafficSourceSchema = z.enum(['proxy', 'overlay', 'window', 'probe']);
const WorstSchema = z.enum(['error', 'warning', 'info', 'not-checked']).nullable();

/**
 * What the Traffic list needs per request; the full exchange is fetched on selection. A request several capturers
 * saw is one row (`sources`); a `traffic.item` event for a seq already sent replaces that row.
 */
export const TrafficSummarySchema = z.object({
  seq: z.number().int(),
  /** The capturer whose exchange is shown (the richest sighting). */
  source: TrafficSourceSchema,
  /** Every capturer that saw this request, richest first. */
  sources: z.array(TrafficSourceSchema),
  startedAt: z.number(),
  durationMs: z.number(),
  method: z.string(),
  url: z.string(),
  status: z.number().int().nullable(),
  family: z.enum(['old', 'new', 'mixed', 'none']),
  worst: WorstSchema,
  findingCount: z.number().int(),
  requestHeaderNames: z.array(z.string()),
  responseHeaderNames: z.array(z.string()),
  setCookieNames: z.array(z.string()),
});
export type TrafficSummary = z.output<typeof TrafficSummarySchema>;

const HeaderPairsSchema = z.array(z.tuple([z.string(), z.string()]));

/** A header of one family shown beside its twin from the registry, when it has one. */
export const HeaderPairRowSchema = z.object({
  entryId: z.string().nullable(),
  stackName: z.string().nullable(),
  stackValue: z.string().nullable(),
  hexclaveName: z.string().nullable(),
  hexclaveValue: z.string().nullable(),
  /** Both present with different values. */
  differs: z.boolean(),
});

export const DecodedTokenSchema = z.object({
  where: z.string(),
  header: z.record(z.string(), z.unknown()),
  claims: z.record(z.string(), z.unknown()),
  /** From the shared checker's verifySignature: `not-checked` when the source removed it or no JWKS was at hand. */
  signature: z.enum(['valid', 'invalid', 'not-checked']),
  signatureDetail: z.string().nullable(),
  issuerVerdict: z.string(),
  expiresInSec: z.number().nullable(),
  skewWarning: z.string().nullable(),
});

export const TrafficDetailSchema = TrafficSummarySchema.extend({
  requestHeaders: HeaderPairsSchema,
  responseHeaders: HeaderPairsSchema,
  requestPairs: z.array(HeaderPairRowSchema),
  responsePairs: z.array(HeaderPairRowSchema),
  requestBody: z.string().nullable(),
  responseBody: z.string().nullable(),
  cookies: z.array(
    z.object({
      name: z.string(),
      value: z.string(),
      direction: z.enum(['sent', 'set']),
      twin: z.string().nullable(),
    }),
  ),
  tokens: z.array(DecodedTokenSchema),
  findings: z.array(FindingSchema),
  pageUrl: z.string().nullable(),
  /** Copy as cURL without secrets: each redacted value is a shell variable the command names. */
  curl: z.string(),
  /** The shell variables `curl` reads (export them, or ask for the copy with secrets). */
  curlNeeds: z.array(z.string()),
  /** What each capturer saw of this request and what the rules made of it there. */
  sightings: z.array(
    z.object({
      source: TrafficSourceSchema,
      pageUrl: z.string().nullable(),
      findingCount: z.number().int(),
      worst: WorstSchema,
    }),
  ),
});
export type TrafficDetail = z.output<typeof TrafficDetailSchema>;

export const CheckRunSummarySchema = z.object({
  id: z.string(),
  at: z.number(),
  backendClass: BackendClassSchema,
  oldSdkWorks: z.boolean(),
  newSdkWorks: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  wallMs: z.number(),
});
export type CheckRunSummary = z.output<typeof CheckRunSummarySchema>;

export const QueryResultSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number().int(),
  truncated: z.boolean(),
  /** Which cap left rows out: the row cap / page size, or the result's byte cap. */
  truncatedBy: z.enum(['row-limit', 'byte-limit']).nullable(),
  /** Cells cut to the per-cell byte cap; each ends with "… [truncated, N bytes]". */
  truncatedCells: z.number().int(),
  ms: z.number(),
});

/** One tool of a project's MCP server as a client sees it (name, description, input JSON Schema, write safety). */
export const McpToolSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  /** True only when the tool promises `readOnlyHint: true`; others need the user's confirmation to run. */
  readOnly: z.boolean(),
  inputSchema: z.record(z.string(), z.unknown()),
});

export const McpCallSchema = z.object({
  at: z.number(),
  tool: z.string(),
  ok: z.boolean(),
  ms: z.number(),
  summary: z.string(),
});
