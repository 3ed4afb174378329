import { z } from 'zod';
import { BackendClassSchema, FindingSchema } from '../checker/report.js';
import { PROJECT_FIELD_LABELS, type ProjectField } from '../project-fields.js';
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

export const HEALTH_STATES = ['ok', 'warn', 'error', 'unknown', 'off'] as const;

/** One health badge, from a real probe: backend, keys, mirror database or sync. */
export const HealthCheckSchema = z.object({
  state: z.enum(HEALTH_STATES),
  /** A few words for the badge: "reachable", "unreachable", "project not found", "caught up". */
  label: z.string(),
  /** The cause and what to do, in one sentence, when there is something to say. */
  detail: z.string().nullable(),
  /** The project setting at fault, when one is. */
  field: z.enum(Object.keys(PROJECT_FIELD_LABELS) as [ProjectField, ...ProjectField[]]).nullable(),
});
export type HealthCheck = z.output<typeof HealthCheckSchema>;

/** What the last probes of a running project found; null while the project is stopped. */
export const ProjectHealthSchema = z.object({
  checkedAt: z.number(),
  backend: HealthCheckSchema,
  keys: HealthCheckSchema,
  mirror: HealthCheckSchema,
  sync: HealthCheckSchema,
});
export type ProjectHealth = z.output<typeof ProjectHealthSchema>;

const ProjectFieldSchema = z.enum(Object.keys(PROJECT_FIELD_LABELS) as [ProjectField, ...ProjectField[]]);

/** "Connect my project" before connecting: the values as resolved, what is wrong with them, and a live probe. */
export const ProjectProbeSchema = z.object({
  apiUrl: z.string().nullable(),
  projectId: z.string().nullable(),
  publishableClientKey: z.string().nullable(),
  /** Where each value came from: `typed`, or the variable and file (`NEXT_PUBLIC_STACK_PROJECT_ID in .env`). */
  from: z.record(z.string(), z.string()),
  /** Format problems by field; an error blocks connecting. */
  problems: z.array(
    z.object({ field: ProjectFieldSchema, level: z.enum(['error', 'warning']), message: z.string() }),
  ),
  /** The probe's findings; null when the values could not be probed (missing or malformed). */
  backend: HealthCheckSchema.nullable(),
  keys: HealthCheckSchema.nullable(),
  /** Connecting would give a working project: nothing is wrong with the values and the backend accepts them. */
  ok: z.boolean(),
});

/** What the developer's app needs in its `.env`, with the env names of both SDK generations. */
export const AppEnvSchema = z.object({
  /** The API URL the app should use: the capture proxy while the project runs, otherwise the backend. */
  apiUrl: z.string().nullable(),
  apiUrlVia: z.enum(['proxy', 'backend']).nullable(),
  /** Project id, publishable client key and API URL; `names` are [HEXCLAVE_ name, STACK_ name]. */
  variables: z.array(
    z.object({
      setting: z.string(),
      label: z.string(),
      value: z.string().nullable(),
      names: z.array(z.string()),
    }),
  ),
  /** The lines to paste into the app's `.env` (no secret in them); null while a value is unknown. */
  dotenv: z.string().nullable(),
  /** Each secret the app may read: set or not, and why not (the folder's own words, as `env` says them). */
  secrets: z.array(
    z.object({
      setting: z.string(),
      label: z.string(),
      set: z.boolean(),
      names: z.array(z.string()),
      reason: z.string().nullable(),
    }),
  ),
  /** What the project folder's env resolution warns about (old names only, conflicts, empty lines that mask). */
  warnings: z.array(z.string()),
});
export type AppEnv = z.output<typeof AppEnvSchema>;

export const ProjectWithRuntimeSchema = ProjectSummarySchema.extend({
  runtime: RuntimeStateSchema,
  health: ProjectHealthSchema.nullable(),
});
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
  /** The status the SDK acts on when the backend wrapped an error as HTTP 200 + x-*-actual-status. */
  actualStatus: z.number().int().nullable().optional(),
  family: z.enum(['old', 'new', 'mixed', 'none']),
  /** `session` when the family was inferred from the refresh token (the token refresh sends no SDK header). */
  attributedBy: z.enum(['headers', 'session', 'none']).optional(),
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
