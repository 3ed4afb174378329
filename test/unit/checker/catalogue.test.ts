import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../shared/checker/index.js';

describe('rule catalogue', () => {
  it('documents every rule in docs/checker.md', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'checker.md'), 'utf8');
    const missing = RULES.filter((rule) => !docs.includes(`\`${rule.id}\``)).map((rule) => rule.id);
    expect(missing).toEqual([]);
  });

  it('has unique ids and a plain-words reason for each rule', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) expect(rule.why.length).toBeGreaterThan(30);
  });
});
