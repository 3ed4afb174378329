import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDispatcher, createHandlers, EventBus } from '../../main/api/index.js';
import { createFileSecretStore } from '../../main/projects/index.js';
import { Workspace } from '../../main/workspace/index.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/index.js';
import { postgresTempDir } from './temp-dir.js';

export interface TestWorkspace {
  readonly workspace: Workspace;
  readonly events: EventBus;
  readonly dataDir: string;
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  close(): Promise<void>;
}

/**
 * A companion workspace on a temp app-data folder, called through the real dispatcher (validation included).
 * Sets HEXCLAVE_COMPANION_HOME so `mcp --project` finds what the workspace publishes.
 */
export function createTestWorkspace(): TestWorkspace {
  const dataDir = postgresTempDir('companion-ws-');
  process.env.HEXCLAVE_COMPANION_HOME = dataDir;
  const events = new EventBus();
  const workspace = new Workspace({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 'secrets.json')),
    events,
    clusterDir: (project) => join(dataDir, 'clusters', project),
  });
  const dispatch = createDispatcher(
    createHandlers({ version: 'test', mode: 'serve', modeReason: null, workspace }),
  );
  return {
    workspace,
    events,
    dataDir,
    call: (method, input) => dispatch(method, input) as never,
    async close() {
      await workspace.stopAll();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
