import { describe, expect, it } from 'vitest';
import { MirrorQueryError, summarisePlan } from '../../../main/mirror/index.js';

const node = (overrides: Record<string, unknown> = {}) => ({
  'Node Type': 'Seq Scan',
  'Relation Name': 'users',
  'Startup Cost': 0,
  'Total Cost': 13.3,
  'Plan Rows': 330,
  'Plan Width': 16,
  'Actual Startup Time': 0.004,
  'Actual Total Time': 0.005,
  'Actual Rows': 3,
  'Actual Loops': 1,
  'Shared Hit Blocks': 1,
  'Shared Read Blocks': 0,
  ...overrides,
});
const explain = (plan: unknown) => [
  { Plan: plan, 'Planning Time': 0.1, 'Execution Time': 0.2, Triggers: [] },
];

describe('EXPLAIN plan validation', () => {
  it('summarises a well-formed plan depth-first, keeping node-specific keys', () => {
    const profile = summarisePlan(
      JSON.stringify(explain(node({ 'Node Type': 'Aggregate', Plans: [node()] }))),
    );
    expect(profile.nodes.map((n) => [n.depth, n.nodeType, n.relation])).toEqual([
      [0, 'Aggregate', 'users'],
      [1, 'Seq Scan', 'users'],
    ]);
    expect(profile.executionMs).toBe(0.2);
  });

  it.each([
    ['a missing actual-row count (EXPLAIN without ANALYZE)', explain(node({ 'Actual Rows': undefined }))],
    ['a mistyped nested node', explain(node({ Plans: [node({ 'Total Cost': '13.3' })] }))],
    ['more than one entry', [...explain(node()), ...explain(node())]],
    ['no buffers (EXPLAIN without BUFFERS)', explain(node({ 'Shared Hit Blocks': undefined }))],
  ])('rejects %s with the path of the problem', (_, plan) => {
    expect(() => summarisePlan(plan)).toThrow(MirrorQueryError);
    try {
      summarisePlan(plan);
    } catch (error) {
      expect((error as MirrorQueryError).kind).toBe('invalid-plan');
      expect((error as Error).message).toMatch(/not the one expected/);
    }
  });
});
