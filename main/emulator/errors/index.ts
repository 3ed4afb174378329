/** Upstream's error codes (one table) and plain-text status errors: what every layer throws. */
export type { AccessType, KnownErrorCode } from './known-errors.js';
export { KnownError, knownError, StatusError } from './known-errors.js';
