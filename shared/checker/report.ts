/**
 * The probe's report: a stable, versioned JSON schema (docs/check-report.md). Additive changes keep
 * schemaVersion; renaming or removing a field bumps it.
 */

import { z } from 'zod';

export const REPORT_SCHEMA_VERSION = 1;

/** `not-checked` (added within version 1): the rule needed data the probe did not get, e.g. an unreadable JWKS. */
const SeveritySchema = z.enum(['error', 'warning', 'info', 'not-checked']);
export const ProbeFamilySchema = z.enum(['old', 'new', 'mixed']);
export const BackendClassSchema = z.enum(['dual', 'legacy', 'broken']);

export const FindingSchema = z.object({
  ruleId: z.string(),
  severity: SeveritySchema,
  identifier: z
    .object({
      id: z.string(),
      stack: z.string(),
      hexclave: z.string().nullable(),
      names: z.array(z.string()).readonly().optional(),
    })
    .nullable(),
  message: z.string(),
  expected: z.string(),
  actual: z.string(),
  evidence: z.string(),
  explanation: z.string().optional(),
  exchangeId: z.string().optional(),
});

export const ReportFindingSchema = FindingSchema.extend({
  /** The scenario whose traffic showed it first. */
  scenarioId: z.string(),
  family: ProbeFamilySchema.nullable(),
  /** How many exchanges showed the same rule + identifier + message. */
  occurrences: z.number().int().positive(),
});

const CountsSchema = z.object({
  error: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
  /** Findings whose check could not run for lack of data (added within version 1). */
  notChecked: z.number().int().nonnegative().optional(),
});

export const ScenarioResultSchema = z.object({
  /** `<scenario>:<family>`, e.g. `sign-in:new`; stable across runs. */
  id: z.string(),
  scenario: z.string(),
  title: z.string(),
  family: ProbeFamilySchema.nullable(),
  status: z.enum(['pass', 'fail', 'skipped']),
  /** What happened, in plain words. */
  summary: z.string(),
  durationMs: z.number().nonnegative(),
  exchangeIds: z.array(z.string()),
  counts: CountsSchema,
});

export const TestPlanAnswerSchema = z.object({
  id: z.string(),
  question: z.string(),
  answer: z.enum(['yes', 'no', 'not checked']),
  /** Why, when the answer is not a plain yes. */
  reason: z.string().optional(),
});

/** What the run created in the project and what it left there (added within version 1). */
export const ThrowawayUsersSchema = z.object({
  /** `server-key`: deleted with the secret server key; `self-delete`: each user deleted itself; `create-nothing`. */
  plan: z.enum(['server-key', 'self-delete', 'create-nothing']),
  /** The plan in one sentence, as printed before the run created anything. */
  summary: z.string(),
  created: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
  /** Users still in the project after the run. */
  left: z.array(z.object({ email: z.string(), userId: z.string() })),
  /** How to remove `left` (null when nothing was left). */
  howToRemove: z.string().nullable(),
});

export const CheckReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  target: z.object({ apiUrl: z.string(), projectId: z.string(), serverKeyGiven: z.boolean() }),
  startedAt: z.string(),
  wallMs: z.number().nonnegative(),
  backendClass: BackendClassSchema,
  classReasons: z.array(z.string()),
  oldSdkWorks: z.boolean(),
  newSdkWorks: z.boolean(),
  mixedWorks: z.boolean(),
  answers: z.array(TestPlanAnswerSchema),
  scenarios: z.array(ScenarioResultSchema),
  findings: z.array(ReportFindingSchema),
  counts: CountsSchema,
  exitCode: z.union([z.literal(0), z.literal(1)]),
  /**
   * Origins the backend's tokens name as issuer (e.g. `http://127.0.0.1:8102` when checked through
   * `http://localhost:8102`); informational (added within version 1).
   */
  issuerOrigins: z.array(z.string()).optional(),
  throwawayUsers: ThrowawayUsersSchema.optional(),
});

export type BackendClass = z.infer<typeof BackendClassSchema>;
export type ProbeFamily = z.infer<typeof ProbeFamilySchema>;
export type ReportFinding = z.infer<typeof ReportFindingSchema>;
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;
export type TestPlanAnswer = z.infer<typeof TestPlanAnswerSchema>;
export type CheckReport = z.infer<typeof CheckReportSchema>;
export type SeverityCounts = z.infer<typeof CountsSchema>;
export type ThrowawayUsers = z.infer<typeof ThrowawayUsersSchema>;
