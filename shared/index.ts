/** Pure, environment-free logic shared by every process. */

export * from './encoding.js';
export * from './internal-db.js';
export * from './redact.js';
export * from './registry/index.js';
