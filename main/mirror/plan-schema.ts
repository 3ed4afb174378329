import { z } from 'zod';

/**
 * The shape of `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` output we rely on. Keys every plan node must carry are
 * typed strictly (a missing or mistyped one rejects the plan); node-specific keys (Relation Name, Filter,
 * Index Cond, …) pass through untouched because they differ by node type and Postgres version.
 */

const count = z.number().nonnegative();
const blocks = z.number().int().nonnegative();

export interface PlanNode {
  'Node Type': string;
  'Startup Cost': number;
  'Total Cost': number;
  'Plan Rows': number;
  'Plan Width': number;
  'Actual Startup Time': number;
  'Actual Total Time': number;
  'Actual Rows': number;
  'Actual Loops': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export const PlanNodeSchema: z.ZodType<PlanNode> = z.lazy(() =>
  z.looseObject({
    'Node Type': z.string().min(1),
    'Startup Cost': count,
    'Total Cost': count,
    'Plan Rows': count,
    'Plan Width': z.number().int().nonnegative(),
    'Actual Startup Time': count,
    'Actual Total Time': count,
    'Actual Rows': count,
    'Actual Loops': count,
    'Shared Hit Blocks': blocks,
    'Shared Read Blocks': blocks,
    'Relation Name': z.string().optional(),
    'Index Name': z.string().optional(),
    Plans: z.array(PlanNodeSchema).optional(),
  }),
);

export const ExplainEntrySchema = z.looseObject({
  Plan: PlanNodeSchema,
  'Planning Time': count,
  'Execution Time': count,
  Triggers: z.array(z.unknown()).optional(),
});
export type ExplainEntry = z.infer<typeof ExplainEntrySchema>;

/** EXPLAIN … FORMAT JSON prints a one-element array. */
export const ExplainOutputSchema = z.array(ExplainEntrySchema).length(1);

/** Zod's issues as one readable line: `Plan.Plans.0.Actual Rows: expected number, received string`. */
export function describePlanIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
