/** Public surface of the compatibility rules engine: pure, so the CLI, the proxy and the in-page tool share it. */

export { createFamilyTracker, type FamilyTracker } from './attribution.js';
export { RULES, type RuleFamily, type RuleInfo, type RuleInput, ruleInfo } from './catalogue.js';
export { checkExchange, checkExchangeAsync, checkSnapshot, dedupeFindings } from './engine.js';
export {
  headerList,
  headerRecord,
  headerValue,
  isPreflight,
  isRecord,
  parseSetCookies,
  requestLine,
  type SetCookie,
  toHeaderPairs,
} from './exchange.js';
export { findingKey, SEVERITY_LABEL, SEVERITY_RANK, sortFindings, worstSeverity } from './finding.js';
export {
  type Har,
  type HarEntryExtras,
  type HarOptions,
  isSecretHeader,
  redactBody,
  redactHeader,
  redactUrl,
  toHar,
} from './har.js';
export * from './report.js';
export { checkRedactedSignatures, tokensIn } from './rules/tokens.js';
export { mergeSightingFindings } from './sightings.js';
export {
  NOT_CHECKED_NO_JWKS,
  NOT_CHECKED_REDACTED,
  REDACTED_SIGNATURE,
  type SignatureStatus,
  type SignatureVerdict,
  signatureRedacted,
  verifySignature,
  withoutSignature,
} from './signature.js';
export * from './types.js';
