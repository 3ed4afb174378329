import { redactSecretsInText, redactValue } from '../redact.js';
import { type IdentifierEntry, identifier } from '../registry/index.js';
import { ruleInfo } from './catalogue.js';
import type { ExpectedMode, Finding, FindingIdentifier, Severity } from './types.js';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, 'not-checked': 0 };

/** How every surface writes a severity. */
export const SEVERITY_LABEL: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
  'not-checked': 'not checked',
};

export function identifierRef(
  entryOrId: IdentifierEntry | string,
  names?: readonly string[],
): FindingIdentifier {
  const entry = typeof entryOrId === 'string' ? identifier(entryOrId) : entryOrId;
  return {
    id: entry.id,
    stack: entry.old,
    hexclave: entry.new,
    ...(names && names.length > 0 ? { names: [...new Set(names)] } : {}),
  };
}

/** A value for evidence: secrets (per the registry flag) are redacted, JWTs and keys in free text too. */
export function shown(value: string | null | undefined, secret = false): string {
  if (value === null || value === undefined) return '(absent)';
  if (secret) return redactValue(value);
  const text = redactSecretsInText(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/**
 * How bad a missing hexclave identifier is: the whole point of a dual backend, an expected gap on a
 * legacy one. Unknown backends are judged as if they claimed to be dual.
 */
export function missingNewSeverity(mode: ExpectedMode): Severity {
  return mode === 'legacy' ? 'info' : 'error';
}

export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const finding of findings) {
    if (worst === null || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst]) worst = finding.severity;
  }
  return worst;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId),
  );
}

/** Same rule, same identifier, same message: one finding, however many exchanges showed it. */
export function findingKey(finding: Finding): string {
  return `${finding.ruleId}|${finding.identifier?.id ?? ''}|${finding.message}`;
}

/** What a rule says about what it saw; `finding()` adds the rule id and the exchange. */
export type FindingInput = Omit<Finding, 'ruleId' | 'exchangeId'>;

/** A finding of `ruleId` about one exchange (or none, for snapshot rules). */
export function finding(ruleId: string, input: FindingInput, exchangeId?: string): Finding {
  ruleInfo(ruleId); // an unknown id is a programming error: every rule is described in the catalogue
  return { ruleId, ...input, ...(exchangeId !== undefined ? { exchangeId } : {}) };
}
