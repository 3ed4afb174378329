import type { RuntimeState } from '../../../shared/api/workspace-schemas.js';

const TONE: Record<RuntimeState['state'], string> = {
  running: 'ok',
  starting: 'warn',
  stopped: 'muted',
  failed: 'error',
};

export function RuntimePill({ runtime }: { runtime: RuntimeState }) {
  return (
    <span className={`pill ${TONE[runtime.state]}`} data-testid="runtime-state">
      {runtime.state}
    </span>
  );
}
