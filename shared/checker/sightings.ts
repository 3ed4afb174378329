import { findingKey } from './finding.js';
import type { Finding } from './types.js';

/**
 * One request, one verdict. The capture proxy, the in-page dev tool and the app window can each see the same
 * request, each with different data (the page cannot read Set-Cookie or whole tokens; the proxy cannot see the
 * page). Their findings are merged: every problem any of them found stays (a header the page cannot read is a real
 * problem for the SDK in that page), and a check one of them could not make is "not checked" only when no other
 * sighting made it.
 */
export function mergeSightingFindings(sightings: readonly (readonly Finding[])[]): Finding[] {
  const checkedElsewhere = (ruleId: string, index: number) =>
    sightings.some(
      (findings, other) =>
        other !== index && !findings.some((f) => f.severity === 'not-checked' && f.ruleId === ruleId),
    );
  const merged = new Map<string, Finding>();
  sightings.forEach((findings, index) => {
    for (const finding of findings) {
      if (finding.severity === 'not-checked' && checkedElsewhere(finding.ruleId, index)) continue;
      const key = findingKey(finding);
      if (!merged.has(key)) merged.set(key, finding);
    }
  });
  return [...merged.values()];
}
