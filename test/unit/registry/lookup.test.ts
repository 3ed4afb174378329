import { describe, expect, it } from 'vitest';
import { findByName, searchIdentifiers } from '../../../shared/registry/index.js';

describe('identifier lookup', () => {
  it('recognises concrete instances of templated names, either family, headers case-insensitively', () => {
    expect(findByName('hexclave-oauth-inner-XYZ')[0]).toMatchObject({
      family: 'hexclave',
      params: { state: 'XYZ' },
    });
    expect(findByName('X-Hexclave-Project-Id')[0]?.entry.id).toBe('header.project-id');
    expect(findByName('STACK_EMAIL_PASSWORD')[0]?.entry.id).toBe('env.STACK_EMAIL_{suffix}');
    expect(findByName('no-such-thing')).toEqual([]);
  });

  it('searches by name, category and policy, exact matches first', () => {
    expect(searchIdentifiers('stack-access')[0]?.id).toBe('cookie.access');
    expect(searchIdentifiers('stack-refresh').map((e) => e.id)).toEqual(
      expect.arrayContaining(['cookie.refresh-default', 'cookie.refresh-custom']),
    );
    expect(searchIdentifiers('dual-emit').every((e) => e.policy === 'dual-emit')).toBe(true);
    expect(searchIdentifiers('', { category: 'response-header' })).toHaveLength(3);
  });
});
