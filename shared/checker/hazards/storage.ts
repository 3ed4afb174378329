import { fillTemplate, findByName, type IdentifierEntry, identifier } from '../../registry/index.js';
import { finding, identifierRef } from '../finding.js';
import type { BrowserSnapshot, Finding } from '../types.js';

const MFA = identifier('storage.mfa-attempt-code');

interface StoredKey {
  readonly area: 'localStorage' | 'sessionStorage';
  readonly key: string;
  readonly entry: IdentifierEntry;
  readonly family: 'stack' | 'hexclave';
  readonly params: Readonly<Record<string, string>>;
}

function storedKeys(snapshot: BrowserSnapshot): StoredKey[] {
  const out: StoredKey[] = [];
  for (const area of ['localStorage', 'sessionStorage'] as const) {
    for (const key of Object.keys(snapshot[area] ?? {})) {
      const match = findByName(key).find((m) => m.entry.category === 'storage-key');
      if (match) out.push({ area, key, entry: match.entry, family: match.family, params: match.params });
    }
  }
  return out;
}

function twinOf(stored: StoredKey): string | null {
  const template = stored.family === 'stack' ? stored.entry.new : stored.entry.old;
  return template === null ? null : fillTemplate(template, stored.params);
}

/**
 * Storage keys by registry policy (docs/sdk-as-shipped.md §8, §14.10, §14.12): renamed keys have no fallback
 * read, read-new-first keys are never cleaned up, and the MFA code is written under the new key only.
 */
export function checkStorage(snapshot: BrowserSnapshot): Finding[] {
  const out: Finding[] = [];
  const stored = storedKeys(snapshot);
  const has = (area: StoredKey['area'], key: string) => snapshot[area]?.[key] !== undefined;
  for (const item of stored) {
    const twin = twinOf(item);
    if (twin === null) continue;
    const twinPresent = has(item.area, twin);
    if (item.entry.id === MFA.id) {
      if (item.family === 'hexclave' && !twinPresent) {
        out.push(
          finding('hazard.mfa-code-without-stack-twin', {
            severity: 'warning',
            identifier: identifierRef(MFA, [item.key]),
            message: `${item.area} holds ${item.key} but not ${twin}.`,
            expected: `${twin} too, while any MFA page generated from the 2.8.102 template is live`,
            actual: `only ${item.key}`,
            evidence: `${item.area}: ${item.key}`,
            explanation:
              'A custom MFA page built from the 2.8.102 page template reads only stack_mfa_attempt_code, gets null, and its Verify button does nothing: MFA sign-in is impossible after the upgrade.',
          }),
        );
      }
      continue;
    }
    if (item.family !== 'stack') continue;
    if (twinPresent) {
      out.push(
        finding('hazard.storage-orphaned', {
          severity: 'info',
          identifier: identifierRef(item.entry, [item.key, twin]),
          message: `${item.key} sits next to ${twin}; the new SDK never reads or deletes the old key again.`,
          expected: `only ${twin}`,
          actual: `both ${item.key} and ${twin}`,
          evidence: `${item.area}: ${item.key}, ${twin}`,
          explanation:
            item.entry.policy === 'read-new-first'
              ? 'The old value is dead weight; after a downgrade and re-upgrade a stale hexclave value beats a fresher stack one.'
              : 'The old value is orphaned forever.',
        }),
      );
    } else if (item.entry.policy === 'rename-outright') {
      out.push(
        finding('hazard.storage-lost-on-upgrade', {
          severity: 'warning',
          identifier: identifierRef(item.entry, [item.key]),
          message: `${item.key} has no ${twin} twin; the new SDK reads only ${twin}.`,
          expected: `${twin} (the new SDK has no fallback read)`,
          actual: `only ${item.key}`,
          evidence: `${item.area}: ${item.key}`,
          explanation: `After upgrading, the value saved under ${item.key} is ignored (${item.entry.concept.toLowerCase()}), e.g. a StackDevTool.enable() choice disappears.`,
        }),
      );
    }
  }
  return out;
}
