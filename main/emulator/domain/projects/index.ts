/**
 * Projects: the project rows and their tenancies, key sets, configuration (override levels rendered over the
 * defaults, and the legacy `config` view of it), trusted redirect URLs, and which dashboard user manages what.
 */
export type { ApiKeySetRecord } from './api-keys.js';
export {
  createApiKeySet,
  createdApiKeySetJson,
  listApiKeySets,
  obfuscatedApiKeySetJson,
  readApiKeySet,
  updateApiKeySet,
} from './api-keys.js';
export type { LegacyConfigUpdate } from './config/legacy.js';
export { adminConfigJson, clientConfigJson, legacyConfigOverride, signInProviders } from './config/legacy.js';
export type { ConfigOverride } from './config/override.js';
export { applyOverride, invalidOverrideReason } from './config/override.js';
export type { RenderedConfig } from './config/rendered.js';
export { renderConfig } from './config/rendered.js';
export type { BranchConfigSource, ConfigLevel } from './config/store.js';
export {
  patchOverride,
  readBranchSource,
  readOverride,
  resetOverrideKeys,
  writeBranchSource,
  writeOverride,
} from './config/store.js';
export type { ProjectFields } from './crud.js';
export { createProject, deleteProject, projectJson, readProject, updateProject } from './crud.js';
export { ProjectDirectory } from './directory.js';
export type { EmulatorProject, EnsureProjectOptions, ProjectKeys } from './ensure.js';
export { ensureInternalProject, ensureProject, ensureTenancy, generateProjectKeys } from './ensure.js';
export type { KeyKind, ProjectLookup } from './lookup.js';
export { lookupProject } from './lookup.js';
export { isManagedBy, managedProjectIds } from './managed.js';
export { isLocalhostUrl, isTrustedRedirectUrl } from './redirect-urls.js';
export type { ProjectRecord, Tenancy, TenancyRef } from './tenancy.js';
export { DEFAULT_BRANCH_ID, INTERNAL_PROJECT_ID } from './tenancy.js';
