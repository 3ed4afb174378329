import { describe, expect, it } from 'vitest';
import { keysMaybeInPage } from '../../../main/sync/target/fresh.js';
import { lastField } from '../../../main/sync/target/prefetch.js';
import { syncMapping } from '../../../shared/sync/index.js';

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

// Keys applied after a page was read ahead are read again before that page merges, so its older rows cannot land over
// them; a key the page holds no row of needs no second read (with a change named at 50/s during a mass update, nearly
// every page had one).
describe('keys a page read ahead may hold', () => {
  const users = syncMapping('users')!;
  const inPage = '5f0c3e1a-8a63-4c1e-9f0e-2d6b9b1d2a10';
  const deleted = '0b7e4d2c-1f3a-4e5b-8c6d-7e8f9a0b1c2d';
  const elsewhere = 'a3d5c7e9-2b4f-4a6c-8e0a-1b3d5f7a9c1e';
  const page = Buffer.from(
    `${inPage}\tAda\t\\N\tada@example.com\tt\t2026-12-01 10:00:00\t{}\t{}\t{}\tf\t41\tf\tf\n` +
      `${deleted}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t42\tt\tf\n`,
  );
  const touched = (...ids: string[]) => ({ columns: ['projectUserId'], keys: ids.map((id) => [id]) });

  it('are the keys with a live row or a tombstone in the page, however the notification cased them', () => {
    expect(keysMaybeInPage(users, touched(inPage, elsewhere, deleted.toUpperCase()), page)).toEqual(
      touched(inPage, deleted.toUpperCase()),
    );
  });

  it('are none when no touched key occurs in the page', () => {
    expect(keysMaybeInPage(users, touched(elsewhere), page)).toBeNull();
  });

  it('are all of them for a mapping whose target key does not carry the source key unchanged', () => {
    // Direct permissions are keyed (user_id, permission_id) in the mirror, by their own id in the source.
    const permissions = syncMapping('project_permissions')!;
    const byId = { columns: ['id'], keys: [[elsewhere]] };
    expect(keysMaybeInPage(permissions, byId, page)).toEqual(byId);
  });
});
