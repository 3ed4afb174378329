import { describe, expect, it } from 'vitest';
import { lastField } from '../../../main/sync/target/prefetch.js';

// A page read ahead says where it ends (its last row's sequence id), so the page after it can be read before this
// one is staged. The COPY text arrives in chunks that need not end at row boundaries.
describe('the last row of a page read ahead', () => {
  const page = 'a\tfirst\t10\tf\nb\tsecond, with a \\t and a \\n\t11\tf\nc\tthird\t12\tt\n';

  it('is found whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 16, page.length]) {
      const bytes = Buffer.from(page);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      expect(lastField(chunks, 2), `chunks of ${size} bytes`).toBe('12');
      expect(lastField(chunks, 0), `chunks of ${size} bytes`).toBe('c');
    }
  });

  it('is the only row of a one-row page, and absent from an empty one', () => {
    expect(lastField([Buffer.from('only\t7\n')], 1)).toBe('7');
    expect(lastField([], 1)).toBeNull();
  });
});
