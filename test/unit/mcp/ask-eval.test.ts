import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { KnowledgeBase, MAX_ANSWER_CHARS } from '../../../mcp-server/knowledge/index.js';
import { ASK_EVAL, type EvalQuestion, missingFacts } from '../../fixtures/ask-eval.js';

// The evaluation set of ask_hexclave against the bundled knowledge base (test/fixtures/ask-eval.ts): every
// question's required facts, every out-of-domain question declined, and the score docs/mcp.md reports.

const kb = KnowledgeBase.fromPackage(packageRoot());

interface Graded {
  readonly question: EvalQuestion;
  readonly sources: readonly string[];
  readonly passed: boolean;
  readonly why: string;
  readonly answer: string;
}

async function grade(question: EvalQuestion): Promise<Graded> {
  const answer = await kb.answer(question.question);
  const sources = answer.citations.map((c) => c.source);
  if (question.type === 'out-of-domain') {
    return {
      question,
      sources,
      answer: answer.answer,
      passed: !answer.covered && answer.answer.startsWith('**Not covered.**'),
      why: 'an out-of-domain question was answered instead of declined',
    };
  }
  const missing = missingFacts(question, answer.answer);
  return {
    question,
    sources,
    answer: answer.answer,
    passed: answer.covered && missing.length === 0,
    why: answer.covered ? `missing ${missing.map(String).join(', ')}` : 'declined an in-domain question',
  };
}

const graded = await Promise.all(ASK_EVAL.map(grade));
const passed = graded.filter((g) => g.passed).length;
const score = passed / graded.length;
const heldOut = graded.filter((g) => g.question.heldOut);

describe('ask_hexclave evaluation set', () => {
  it('has at least 40 questions, four out-of-domain ones and held-out paraphrases', () => {
    expect(ASK_EVAL.length).toBeGreaterThanOrEqual(40);
    expect(ASK_EVAL.filter((q) => q.type === 'out-of-domain').length).toBeGreaterThanOrEqual(4);
    expect(heldOut.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ASK_EVAL.map((q) => q.id)).size).toBe(ASK_EVAL.length);
  });

  it('scores at least 95 % (printed), held-out paraphrases included', () => {
    const failures = graded.filter((g) => !g.passed);
    console.log(
      `ask_hexclave evaluation: ${passed}/${graded.length} (${(score * 100).toFixed(1)} %); held-out ${heldOut.filter((g) => g.passed).length}/${heldOut.length}`,
    );
    for (const f of failures) console.log(`  FAIL ${f.question.id}: ${f.why}`);
    expect(score).toBeGreaterThanOrEqual(0.95);
  });

  it('declines every out-of-domain question', () => {
    const answered = graded.filter((g) => g.question.type === 'out-of-domain' && !g.passed);
    expect(answered.map((g) => g.question.id)).toEqual([]);
  });

  it('answers within the size cap, with no table rows, diagrams or internal source references', () => {
    for (const { question, answer } of graded) {
      expect(answer.length, question.id).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
      expect(answer, question.id).not.toMatch(/^\s*\|/m); // a markdown table row
      expect(answer, question.id).not.toMatch(/ · .* · /); // a flattened one
      expect(answer, question.id).not.toMatch(/[┌┐└┘│─]/); // box drawing
      expect(answer, question.id).not.toMatch(/\b(js|sh)10\d:|\bCAI:\d/); // js108:CAI:564-566
    }
  });

  it('quotes no passage twice in one answer', () => {
    for (const { question, sources } of graded) {
      expect(new Set(sources).size, question.id).toBe(sources.length);
    }
  });

  it('is the score docs/mcp.md reports', () => {
    const doc = readFileSync(join(packageRoot(), 'docs/mcp.md'), 'utf8');
    const reported = /Evaluation score: \*\*(\d+)\/(\d+)\*\*/.exec(doc);
    expect(reported, 'docs/mcp.md states "Evaluation score: **N/M**"').not.toBeNull();
    expect(`${reported![1]}/${reported![2]}`).toBe(`${passed}/${graded.length}`);
  });
});
