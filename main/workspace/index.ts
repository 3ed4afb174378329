export { ProjectRuntime } from './project-runtime.js';
export type { RuntimeConfig, RuntimeReady } from './runtime-protocol.js';
export type { WorkspaceOptions } from './workspace.js';
export { Workspace, WorkspaceError } from './workspace.js';
