/**
 * The probe's report: a stable, versioned JSON schema (docs/check-report.md). Additive changes keep
 * schemaVersion; renaming or removing a field bumps it.
 */

import { z } from 'zod';

export const REPORT_SCHEMA_VERSION = 1;

const SeveritySchema = z.enum(['error', 'warning', 'info']);
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
});

export type BackendClass = z.infer<typeof BackendClassSchema>;
export type ProbeFamily = z.infer<typeof ProbeFamilySchema>;
export type ReportFinding = z.infer<typeof ReportFindingSchema>;
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;
export type TestPlanAnswer = z.infer<typeof TestPlanAnswerSchema>;
export type CheckReport = z.infer<typeof CheckReportSchema>;
export type SeverityCounts = z.infer<typeof CountsSchema>;
