import { describe, expect, it } from 'vitest';
import { capCell, RowBudget, truncationMark } from '../../../main/mirror/output-limits.js';

describe('mirror output limits', () => {
  it('keeps a cell within its byte cap, says the full size, and never splits a character', () => {
    const text = 'é'.repeat(1000); // 2 bytes each
    const { value, truncated } = capCell(text, 101);
    expect(truncated).toBe(true);
    expect(typeof value).toBe('string');
    expect(Buffer.byteLength(value as string)).toBeLessThanOrEqual(101);
    expect(value).toMatch(/^é+… \[truncated, 2000 bytes\]$/);
    expect(value as string).not.toContain('\uFFFD');
  });

  it('leaves small values, numbers and booleans alone', () => {
    expect(capCell('short', 100)).toEqual({ value: 'short', truncated: false });
    expect(capCell(12345678901234, 4)).toEqual({ value: 12345678901234, truncated: false });
    expect(capCell({ a: 1 }, 100)).toEqual({ value: { a: 1 }, truncated: false });
  });

  it('turns a JSON value over the cap into its cut JSON text with the mark', () => {
    const big = { items: Array.from({ length: 100 }, (_, i) => ({ i })) };
    const { value, truncated } = capCell(big, 80);
    expect(truncated).toBe(true);
    expect(value).toMatch(
      new RegExp(`^\\{"items":\\[.*${escapeRegExp(truncationMark(JSON.stringify(big).length))}$`),
    );
  });

  it('stops adding rows at the result cap, always keeping the first', () => {
    const budget = new RowBudget({ cellBytes: 1000, resultBytes: 2500 });
    const row = ['x'.repeat(900)];
    expect(budget.add(row)).toBe(true);
    expect(budget.add(row)).toBe(true);
    expect(budget.add(row)).toBe(false);
    expect(budget.full).toBe(true);
    expect(budget.rows).toHaveLength(2);
    expect(budget.add(['small'])).toBe(false);
  });

  it('shares the result cap among the cells of one very wide row', () => {
    const budget = new RowBudget({ cellBytes: 1000, resultBytes: 2000 });
    expect(budget.add(Array.from({ length: 10 }, () => 'y'.repeat(900)))).toBe(true);
    expect(JSON.stringify(budget.rows).length).toBeLessThanOrEqual(2000);
    expect(budget.truncatedCells).toBe(10);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
