import { setTimeout as delay } from 'node:timers/promises';
import {
  backendPid,
  inReadOnlyTransaction,
  type MirrorSettings,
  singleStatement,
  withMirrorSession,
} from './connection.js';
import {
  MirrorQueryError,
  pgErrorOf,
  SQLSTATE_NAMES,
  TRANSIENT_NODE_CODES,
  TRANSIENT_SQLSTATES,
  translatePgError,
} from './errors.js';
import { capStringsDeep, DEFAULT_OUTPUT_LIMITS, type OutputLimits, truncationMark } from './output-limits.js';
import { describePlanIssues, type ExplainEntry, ExplainOutputSchema, type PlanNode } from './plan-schema.js';
import type { JsonValue } from './query.js';
import { checkReadOnlyStatement } from './read-only-guard.js';

export interface PlanNodeSummary {
  readonly depth: number;
  readonly nodeType: string;
  readonly relation: string | null;
  readonly index: string | null;
  readonly actualTotalMs: number;
  readonly actualRows: number;
  readonly loops: number;
  readonly planRows: number;
}

export interface ProfileAttempt {
  readonly attempt: number;
  readonly outcome: 'ok' | 'transient-failure';
  readonly error?: string;
  readonly sqlState?: string;
  /** Backoff slept after this attempt before the next one. */
  readonly backoffMs?: number;
}

/** What stands in for a plan too large for the result's byte cap (`nodes` still summarises it). */
export interface OmittedPlan {
  readonly 'Planning Time': number;
  readonly 'Execution Time': number;
  readonly omitted: string;
}

export interface QueryProfile {
  readonly plan: ExplainEntry | OmittedPlan;
  readonly planningMs: number;
  readonly executionMs: number;
  readonly totalCost: number;
  readonly sharedHitBlocks: number;
  readonly sharedReadBlocks: number;
  readonly nodes: readonly PlanNodeSummary[];
  readonly attempts: readonly ProfileAttempt[];
  /** Plan nodes left out of `nodes` (beyond the first MAX_NODES). */
  readonly nodesOmitted: number;
  /** Strings inside the plan cut to the per-cell cap (a huge literal in a Filter, …). */
  readonly truncatedStrings: number;
}

export interface ProfileOptions {
  readonly limits?: OutputLimits;
  readonly maxAttempts?: number;
  /** Backoff before retry n is baseBackoffMs · 3^(n-1): 100 ms then 300 ms by default. */
  readonly baseBackoffMs?: number;
  /** Called once the transaction is open and before EXPLAIN runs (tests use the backend pid). */
  readonly onAttemptStart?: (info: { attempt: number; backendPid: number }) => Promise<void> | void;
  readonly onTransientFailure?: (attempt: ProfileAttempt) => Promise<void> | void;
}

const PREFIX = 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ';
/** Enough for any plan a person reads; a generated UNION of thousands of branches is summarised by its top. */
const MAX_NODES = 500;

function flatten(node: PlanNode, depth: number, out: PlanNodeSummary[]): PlanNodeSummary[] {
  out.push({
    depth,
    nodeType: node['Node Type'],
    relation: node['Relation Name'] ?? null,
    index: node['Index Name'] ?? null,
    actualTotalMs: node['Actual Total Time'],
    actualRows: node['Actual Rows'],
    loops: node['Actual Loops'],
    planRows: node['Plan Rows'],
  });
  for (const child of node.Plans ?? []) flatten(child, depth + 1, out);
  return out;
}

function transientReason(error: unknown, connectionLost: boolean): string | null {
  const pgError = pgErrorOf(error);
  const code = pgError?.code;
  if (code && TRANSIENT_SQLSTATES.includes(code)) return `${SQLSTATE_NAMES[code] ?? code} (${code})`;
  if (code && TRANSIENT_NODE_CODES.includes(code)) return `connection reset (${code})`;
  if (connectionLost) return 'connection lost';
  return null;
}

function validatePlan(raw: unknown): ExplainEntry {
  const json = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  const parsed = ExplainOutputSchema.safeParse(json);
  if (!parsed.success) {
    throw new MirrorQueryError(
      'invalid-plan',
      `Postgres returned a plan whose shape is not the one expected from EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), so it is not returned: ${describePlanIssues(parsed.error)}.`,
    );
  }
  return parsed.data[0]!;
}

/** Validate and summarise raw EXPLAIN JSON; exported so the strict shape check is testable on its own. */
export function summarisePlan(raw: unknown, attempts: readonly ProfileAttempt[] = []): QueryProfile {
  const plan = validatePlan(raw);
  return {
    plan,
    planningMs: plan['Planning Time'],
    executionMs: plan['Execution Time'],
    totalCost: plan.Plan['Total Cost'],
    sharedHitBlocks: plan.Plan['Shared Hit Blocks'],
    sharedReadBlocks: plan.Plan['Shared Read Blocks'],
    nodes: flatten(plan.Plan, 0, []),
    attempts,
    nodesOmitted: 0,
    truncatedStrings: 0,
  };
}

/** The profile within the output caps: long strings in the plan cut, the node list and the plan itself bounded. */
function withinLimits(profile: QueryProfile, limits: OutputLimits): QueryProfile {
  const capped = capStringsDeep(profile.plan as unknown as JsonValue, limits.cellBytes);
  const planBytes = Buffer.byteLength(JSON.stringify(capped.value), 'utf8');
  const plan: QueryProfile['plan'] =
    planBytes <= limits.resultBytes / 2
      ? (capped.value as unknown as ExplainEntry)
      : {
          'Planning Time': profile.planningMs,
          'Execution Time': profile.executionMs,
          omitted: `The plan is left out ${truncationMark(planBytes)}: over half the ${limits.resultBytes}-byte result cap. \`nodes\` summarises it.`,
        };
  return {
    ...profile,
    plan,
    nodes: profile.nodes.slice(0, MAX_NODES),
    nodesOmitted: Math.max(0, profile.nodes.length - MAX_NODES),
    truncatedStrings: capped.truncated,
  };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) one read-only statement inside a READ ONLY transaction that is rolled
 * back. Transient failures (serialization failure, deadlock, lock timeout, a dropped connection) are retried
 * on a fresh connection with backoff, up to `maxAttempts` tries; the plan's shape is validated before return.
 */
export async function profileQuery(
  settings: MirrorSettings,
  sql: string,
  options: ProfileOptions = {},
): Promise<QueryProfile> {
  const statement = checkReadOnlyStatement(sql);
  const maxAttempts = options.maxAttempts ?? 3;
  const baseBackoffMs = options.baseBackoffMs ?? 100;
  const attempts: ProfileAttempt[] = [];
  for (let attempt = 1; ; attempt++) {
    let lost = () => false;
    try {
      const raw = await withMirrorSession(settings, (session) => {
        lost = session.lost;
        return inReadOnlyTransaction(session, settings, async () => {
          await options.onAttemptStart?.({ attempt, backendPid: backendPid(session.client) });
          const result = await session.client.query(singleStatement(`${PREFIX}${statement}\n`));
          return (result.rows[0] as Record<string, unknown> | undefined)?.['QUERY PLAN'];
        });
      });
      return withinLimits(
        summarisePlan(raw, [...attempts, { attempt, outcome: 'ok' }]),
        options.limits ?? DEFAULT_OUTPUT_LIMITS,
      );
    } catch (error) {
      const reason = MirrorQueryError.is(error) ? null : transientReason(error, lost());
      if (reason === null) {
        throw translatePgError(error, {
          sql: statement,
          prefixLength: PREFIX.length,
          statementTimeoutMs: settings.statementTimeoutMs,
          lockTimeoutMs: settings.lockTimeoutMs,
        });
      }
      const last = attempt >= maxAttempts;
      const failure: ProfileAttempt = {
        attempt,
        outcome: 'transient-failure',
        error: `${reason}: ${pgErrorOf(error)?.message ?? String(error)}`,
        ...(pgErrorOf(error)?.code ? { sqlState: pgErrorOf(error)!.code! } : {}),
        ...(last ? {} : { backoffMs: baseBackoffMs * 3 ** (attempt - 1) }),
      };
      attempts.push(failure);
      if (last) throw gaveUp(attempts, settings);
      await options.onTransientFailure?.(failure);
      await delay(failure.backoffMs!);
    }
  }
}

function gaveUp(attempts: readonly ProfileAttempt[], settings: MirrorSettings): MirrorQueryError {
  const history = attempts.map((a) => `attempt ${a.attempt}: ${a.error}`).join('; ');
  const lockHint = attempts.some((a) => a.sqlState === '55P03')
    ? ` Another session holds a lock on a table this query reads for longer than the ${settings.lockTimeoutMs} ms lock timeout (look for it in pg_locks / pg_stat_activity).`
    : '';
  const error = new MirrorQueryError(
    'gave-up',
    `Gave up profiling after ${attempts.length} attempts, each failing with a transient error — ${history}.${lockHint} Try again once the mirror is quieter.`,
    attempts.at(-1)?.sqlState,
  );
  return Object.assign(error, { attempts });
}
