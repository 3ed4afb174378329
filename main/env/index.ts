export type { EnvFileInfo, ProjectEnvReport } from './project-env.js';
export { envFileOrder, ProjectDirError, readProjectEnv } from './project-env.js';
