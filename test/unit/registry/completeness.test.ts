import { describe, expect, it } from 'vitest';
import { findByName, IDENTIFIERS } from '../../../shared/registry/index.js';
import { SPEC_IDENTIFIERS } from '../../fixtures/rename-spec-identifiers.js';

describe('registry completeness against the rename spec', () => {
  it.each(SPEC_IDENTIFIERS.map((s) => [s.section, s.old, s.planned] as const))(
    '%s: %s is in the registry with its planned twin',
    (_section, old, planned) => {
      const matches = findByName(old).filter((m) => m.family === 'stack');
      expect(matches, `no registry entry recognises ${old}`).not.toHaveLength(0);
      if (planned === null) {
        expect(matches.some((m) => m.entry.new === null)).toBe(true);
        return;
      }
      // The registry follows the shipped SDK; where it dropped or changed the planned twin, the entry must
      // say so in planDifference rather than silently losing the plan's name.
      const twinKnown = findByName(planned).some((m) => matches.some((o) => o.entry.id === m.entry.id));
      const planRecorded = matches.some((m) =>
        (m.entry.planDifference ?? '').includes(planned.split('p1')[0]!),
      );
      expect(twinKnown || planRecorded, `${old}: neither ${planned} nor a recorded plan difference`).toBe(
        true,
      );
    },
  );

  it('has unique ids and unique old forms within a category', () => {
    const ids = IDENTIFIERS.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = IDENTIFIERS.map((e) => `${e.category}:${e.old}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives frozen and out-of-scope entries no twin, and every other policy a twin', () => {
    for (const entry of IDENTIFIERS) {
      const twinless = entry.policy === 'frozen' || entry.policy === 'out-of-scope';
      expect(entry.new === null, `${entry.id} (${entry.policy})`).toBe(twinless);
    }
  });
});
