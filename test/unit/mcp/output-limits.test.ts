import { describe, expect, it } from 'vitest';
import { capDeep, capList, capString } from '../../../shared/output-caps.js';

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('tool output limits', () => {
  it('cut a long string on a character boundary and mark it with the full size', () => {
    const { text, truncated } = capString('é'.repeat(3000), 100);
    expect(truncated).toBe(true);
    expect(text).toMatch(/^é+… \[truncated, 6000 bytes\]$/);
    expect(bytes(text)).toBeLessThanOrEqual(100);
    expect(capString('short', 100)).toEqual({ text: 'short', truncated: false });
  });

  it('cut strings deep inside a value; collapse only free-form objects that are far too large', () => {
    const value = { a: 'x'.repeat(5000), nested: { list: Array.from({ length: 2000 }, (_, i) => i) } };
    const collapsed = capDeep(value, 1000);
    expect(collapsed.truncated).toBe(2);
    expect(typeof collapsed.value.nested).toBe('string');
    const shaped = capDeep(value, 1000, false);
    expect(shaped.truncated).toBe(1);
    expect(shaped.value.nested.list).toHaveLength(2000);
  });

  it('keep list items while the JSON stays within the total, always the first one', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ i, text: 'y'.repeat(500) }));
    const capped = capList(items, { cellBytes: 200, totalBytes: 2000 });
    expect(capped.items.length).toBeGreaterThan(0);
    expect(capped.omitted).toBe(100 - capped.items.length);
    expect(capped.truncatedCells).toBe(capped.items.length);
    expect(bytes(JSON.stringify(capped.items))).toBeLessThanOrEqual(2000);
    expect(capList([{ big: 'z'.repeat(10_000) }], { cellBytes: 50_000, totalBytes: 100 }).items).toHaveLength(
      1,
    );
  });
});
