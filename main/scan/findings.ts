import {
  fillTemplate,
  HOLE,
  IDENTIFIERS,
  type IdentifierEntry,
  type LiteralMatch,
} from '../../shared/registry/index.js';
import type { ScanFinding } from '../../shared/scan/report.js';
import { verdictFor, verdictRank } from '../../shared/scan/verdict.js';
import { matchOccurrence } from './match.js';
import type { LineIndex, Occurrence } from './occurrence.js';

/** Occurrences → findings: one per place and name, with its twin, verdict and fix. */

/** How a part computed at run time is shown. */
const RUN_TIME_PART = '$' + '{…}';

const ORDER = new Map(IDENTIFIERS.map((entry, i) => [entry.id, i]));

/** The same name in the other family, with this occurrence's parameters where they are known. */
function twinOf(match: LiteralMatch): string | null {
  const entry: IdentifierEntry = match.entry;
  const form = match.family === 'stack' ? entry.new : entry.old;
  if (form === null) return null;
  let twin = form;
  try {
    if (Object.keys(match.params).length > 0) twin = fillTemplate(form, match.params);
  } catch {
    twin = form;
  }
  return match.text.startsWith('__Host-') && !twin.startsWith('__Host-') ? `__Host-${twin}` : twin;
}

function fixFor(match: LiteralMatch, occurrence: Occurrence, twin: string | null, generic: string): string {
  if (occurrence.assignment && match.family === 'stack' && twin && match.entry.category === 'env-var') {
    return `Add ${twin}=<same value> next to it (scan --fix does this); remove ${match.text} once every app runs SDK ≥ 2.8.108.`;
  }
  if (
    match.entry.category === 'env-var' &&
    match.family === 'stack' &&
    twin &&
    occurrence.access === 'read'
  ) {
    return `Read ${twin} first and fall back to ${match.text}.`;
  }
  return generic;
}

export function findingsOf(file: string, occurrence: Occurrence, lines: LineIndex): ScanFinding[] {
  const matches = matchOccurrence(occurrence);
  if (matches.length === 0) return [];
  // Several entries at one spot (a prefix that starts several names) make one finding: the worst verdict leads.
  const groups = new Map<string, LiteralMatch[]>();
  for (const match of matches) {
    const key = `${match.offset}:${match.text}`;
    groups.set(key, [...(groups.get(key) ?? []), match]);
  }
  const out: ScanFinding[] = [];
  for (const group of groups.values()) {
    const ranked = group
      // A header line (`x-stack-access-type: server`, as curl -H takes it) sends the header.
      .map((match) => ({
        match,
        verdict: verdictFor(
          match.entry,
          match.family,
          occurrence.access ?? (match.kind === 'header-line' ? 'write' : undefined),
        ),
      }))
      .sort(
        (a, b) =>
          verdictRank(a.verdict.kind) - verdictRank(b.verdict.kind) ||
          (ORDER.get(a.match.entry.id) ?? 0) - (ORDER.get(b.match.entry.id) ?? 0),
      );
    const { match, verdict } = ranked[0]!;
    const { line, column } = lines.position(occurrence.offset + match.offset);
    const twin = twinOf(match);
    out.push({
      file,
      line,
      column,
      // A part computed at run time shows as ${…}, the way the code wrote it.
      identifier: match.text.replaceAll(HOLE, RUN_TIME_PART),
      entryId: match.entry.id,
      category: match.entry.category,
      family: match.family,
      twin,
      policy: match.entry.policy,
      verdict: { kind: verdict.kind, text: verdict.text, since: verdict.since, why: verdict.why },
      fix: fixFor(match, occurrence, twin, verdict.fix),
      alsoMatches: [...new Set(ranked.slice(1).map((r) => r.match.entry.id))].filter(
        (id) => id !== match.entry.id,
      ),
    });
  }
  return out;
}
