import { z } from 'zod';
import { CheckReportSchema } from '../checker/report.js';
import { CATEGORIES, POLICIES } from '../registry/types.js';
import { ScanReportSchema } from '../scan/report.js';
import { SyncEventSchema, SyncStageSchema, SyncStatusSchema } from '../sync/status.js';
import { MailboxSummarySchema, MailMessageSchema, MailSummarySchema } from './mail-schemas.js';
import {
  AppInfoSchema,
  ConnectedProjectInputSchema,
  CreateProjectInputSchema,
  IdentifierEntrySchema,
  ProjectSummarySchema,
} from './schemas.js';
import {
  AppEnvSchema,
  CheckRunSummarySchema,
  McpCallSchema,
  McpToolSchema,
  ProjectHealthSchema,
  ProjectProbeSchema,
  ProjectWithRuntimeSchema,
  QueryResultSchema,
  RuntimeStateSchema,
  SyncErrorSchema,
  SyncSampleSchema,
  TrafficDetailSchema,
  TrafficSummarySchema,
} from './workspace-schemas.js';

const project = z.object({ project: z.string().min(1) });
const ok = z.object({ ok: z.literal(true) });
const mailboxName = z.string().min(1).max(320);

/**
 * The one typed API between the renderer and main. Every call is validated with zod on the main side; the same
 * contract is carried by Electron IPC (desktop) and by HTTP + WebSocket (serve mode). Later capabilities add
 * calls and events here; transports never change.
 */
export const apiContract = {
  'app.info': {
    input: z.object({}),
    output: AppInfoSchema,
  },
  'registry.search': {
    input: z.object({
      query: z.string().max(300).default(''),
      category: z.enum(CATEGORIES).optional(),
      policy: z.enum(POLICIES).optional(),
    }),
    output: z.object({ total: z.number().int(), entries: z.array(IdentifierEntrySchema) }),
  },
  'projects.list': {
    input: z.object({}),
    output: z.object({
      projects: z.array(ProjectWithRuntimeSchema),
      secretStore: z.object({ kind: z.enum(['safe-storage', 'file']), warning: z.string().nullable() }),
    }),
  },
  'projects.create': { input: CreateProjectInputSchema, output: ProjectSummarySchema },
  /** Check a connected project's settings before connecting: formats, then reachable, a Stack API, keys accepted. */
  'projects.probe': { input: ConnectedProjectInputSchema, output: ProjectProbeSchema },
  /** What the app needs in its `.env` (project id, publishable key, API URL via the proxy), ready to copy. */
  'projects.appEnv': { input: project, output: AppEnvSchema },
  /** Run a health round now (the badges refresh on their own every few seconds). */
  'projects.checkHealth': { input: project, output: ProjectHealthSchema.nullable() },
  'projects.remove': { input: project, output: ok },
  'projects.start': { input: project, output: RuntimeStateSchema },
  'projects.stop': { input: project, output: RuntimeStateSchema },
  /** Open the developer's app with the in-page dev tool: a wrapped window in Electron, a script tag in a browser. */
  'projects.openApp': {
    input: project.extend({ url: z.url({ protocol: /^https?$/ }) }),
    output: z.object({ opened: z.boolean(), scriptTag: z.string().nullable(), message: z.string() }),
  },
  'sync.status': {
    input: project,
    output: z.object({
      status: SyncStatusSchema.nullable(),
      samples: z.array(SyncSampleSchema),
      errors: z.array(SyncErrorSchema),
    }),
  },
  'sync.setStage': {
    input: project.extend({ stage: SyncStageSchema, enabled: z.boolean() }),
    output: z.object({ fusebox: z.record(z.string(), z.boolean()) }),
  },
  'sync.now': { input: project, output: z.object({ seconds: z.number(), rowsApplied: z.number().int() }) },
  'check.run': { input: project, output: CheckRunSummarySchema.extend({ report: CheckReportSchema }) },
  'check.history': { input: project, output: z.object({ runs: z.array(CheckRunSummarySchema) }) },
  'check.get': {
    input: project.extend({ run: z.string() }),
    output: z.object({ report: CheckReportSchema }),
  },
  'check.export': {
    input: project.extend({
      run: z.string(),
      format: z.enum(['json', 'markdown', 'junit', 'har']),
      unsafe: z.boolean().default(false),
    }),
    output: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
  },
  'traffic.list': {
    input: project.extend({
      afterSeq: z.number().int().default(0),
      limit: z.number().int().min(1).max(20_000).default(20_000),
    }),
    output: z.object({ items: z.array(TrafficSummarySchema) }),
  },
  'traffic.get': { input: project.extend({ seq: z.number().int() }), output: TrafficDetailSchema },
  /** Copy as cURL with the secrets in it: asked for explicitly, never part of `traffic.get`. */
  'traffic.curlWithSecrets': {
    input: project.extend({ seq: z.number().int() }),
    output: z.object({ command: z.string() }),
  },
  'traffic.exportHar': {
    input: project.extend({ seqs: z.array(z.number().int()).optional(), unsafe: z.boolean().default(false) }),
    output: z.object({ fileName: z.string(), content: z.string() }),
  },
  'traffic.clear': { input: project, output: ok },
  'mirror.tables': {
    input: project,
    output: z.object({
      tables: z.array(
        /** rows: null when the table does not exist yet, or (locked) a first snapshot is being copied into it. */
        z.object({ name: z.string(), rows: z.number().int().nullable(), locked: z.boolean().default(false) }),
      ),
    }),
  },
  'mirror.browse': {
    input: project.extend({
      table: z.string().min(1),
      search: z.string().max(200).default(''),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
      /** Order by one of the table's columns (then its primary key); default: the primary key. */
      sort: z.object({ column: z.string().min(1), direction: z.enum(['asc', 'desc']) }).nullish(),
    }),
    output: QueryResultSchema,
  },
  'mirror.query': {
    input: project.extend({ sql: z.string().min(1).max(20_000) }),
    output: QueryResultSchema,
  },
  /** Create the read-only role on an external mirror through the URL the user gave (it must be allowed to). */
  'mirror.createReader': {
    input: project,
    output: z.object({ role: z.string(), created: z.boolean() }),
  },
  'mcp.status': {
    input: project,
    output: z.object({
      reachable: z.boolean(),
      tools: z.array(z.string()),
      message: z.string().nullable(),
      snippets: z.array(z.object({ editor: z.string(), file: z.string(), content: z.string() })),
      calls: z.array(McpCallSchema),
      toolInfo: z.array(McpToolSchema),
    }),
  },
  /** Read-only scan of a connected project's folder (the Migrate screen); at most 2,000 findings, worst first. */
  'scan.project': { input: project, output: ScanReportSchema },
  /** Call one tool of the project's MCP server, as the MCP Inspector does; a tool that can write needs `confirmed`. */
  'mcp.call': {
    input: project.extend({
      tool: z.string().min(1).max(100),
      arguments: z.record(z.string(), z.unknown()).default({}),
      confirmed: z.boolean().default(false),
    }),
    output: z.object({ ms: z.number(), result: z.record(z.string(), z.unknown()) }),
  },
  /** The captured mail of an emulator project: its mailboxes, and the newest messages of one or of all. */
  'mail.list': {
    input: project.extend({ mailbox: mailboxName.optional() }),
    output: z.object({
      mailboxes: z.array(MailboxSummarySchema),
      /** Newest first, at most `listLimit`. */
      messages: z.array(MailSummarySchema),
      listLimit: z.number().int(),
    }),
  },
  /** One message with its bodies; reading it marks it seen. */
  'mail.get': {
    input: project.extend({ mailbox: mailboxName, id: z.string().min(1).max(100) }),
    output: MailMessageSchema,
  },
  /** Delete one message, one mailbox, or (neither given) all captured mail. */
  'mail.clear': {
    input: project.extend({ mailbox: mailboxName.optional(), id: z.string().min(1).max(100).optional() }),
    output: z.object({ deleted: z.number().int() }),
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

/** Server-pushed events: topic → payload schema. */
export const eventContract = {
  'app.log': z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: z.number() }),
  'projects.changed': z.object({ project: z.string().nullable() }),
  /** Bring a screen to the front, e.g. the overlay's "show in companion" for one exchange. */
  'app.navigate': z.object({
    project: z.string().nullable(),
    screen: z.string(),
    param: z.string().nullable(),
  }),
  'runtime.state': z.object({ project: z.string(), runtime: RuntimeStateSchema }),
  /** After every health round of a running project; null once it stops. */
  'project.health': z.object({ project: z.string(), health: ProjectHealthSchema.nullable() }),
  /** At most 10 per second per project. */
  'sync.status': z.object({
    project: z.string(),
    status: SyncStatusSchema,
    sample: SyncSampleSchema.nullable(),
  }),
  'sync.event': z.object({ project: z.string(), event: SyncEventSchema }),
  'traffic.item': z.object({ project: z.string(), item: TrafficSummarySchema }),
  /** An emulator project captured an e-mail. */
  'mail.received': z.object({ project: z.string(), mailbox: z.string() }),
} as const satisfies Record<string, z.ZodType>;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;
export type EventTopic = keyof typeof eventContract;
export type EventPayload<T extends EventTopic> = z.output<(typeof eventContract)[T]>;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiContract, name);
}

export function isEventTopic(name: string): name is EventTopic {
  return Object.hasOwn(eventContract, name);
}
