/** Public surface of the identifier registry: the table and the pure helpers every surface builds on. */

export * from './bearer.js';
export * from './config-file.js';
export * from './cookies.js';
export * from './cors.js';
export { hexclaveEnvName, stackEnvName } from './env-names.js';
export * from './env-resolution.js';
export * from './headers.js';
export * from './issuers.js';
export * from './literals.js';
export * from './lookup.js';
export * from './mentions.js';
export * from './project-settings.js';
export * from './sdk-wire.js';
export { entriesOf, entriesWithPolicy, IDENTIFIERS, identifier, UnknownIdentifierError } from './table.js';
export { fillTemplate, isTemplate, matchTemplate, TemplateParamError, templateParams } from './template.js';
export * from './types.js';
