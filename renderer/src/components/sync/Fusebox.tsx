import type { SyncStage, SyncStatus } from '../../../../shared/sync/status.js';
import { useSyncStore } from '../../stores/sync.js';
import { Switch } from '../Switch.js';

const STAGES: readonly { stage: SyncStage; label: string; description: string }[] = [
  {
    stage: 'sequencer',
    label: 'Sequencer',
    description: 'Stamps changed rows with sequence ids and queues sync work for each tenancy.',
  },
  { stage: 'poller', label: 'Poller', description: 'Claims queued sync work and hands it to the workers.' },
  {
    stage: 'workers',
    label: 'Workers',
    description:
      'Copy changes above each checkpoint into the mirror. Off: the backlog grows, nothing is lost.',
  },
];

/** Upstream's fusebox (sequencer, poller) plus the workers, each switched on its own. */
export function Fusebox({
  fusebox,
  sourceKind,
}: {
  fusebox: SyncStatus['fusebox'];
  sourceKind: SyncStatus['source']['kind'];
}) {
  const setStage = useSyncStore((s) => s.setStage);
  const stageBusy = useSyncStore((s) => s.stageBusy);
  const stageError = useSyncStore((s) => s.stageError);
  const fromApi = sourceKind === 'api';
  return (
    <section className="card" aria-labelledby="fusebox-title" data-testid="fusebox">
      <header className="card-header">
        <h2 id="fusebox-title">Fusebox</h2>
      </header>
      {STAGES.filter((s) => !fromApi || s.stage === 'workers').map(({ stage, label, description }) => (
        <Switch
          key={stage}
          label={label}
          description={description}
          checked={fusebox[stage]}
          busy={stageBusy[stage]}
          onChange={(enabled) => void setStage(stage, enabled)}
        />
      ))}
      {stageError && (
        <p className="error-text" role="alert">
          {stageError}
        </p>
      )}
    </section>
  );
}
