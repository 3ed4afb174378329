import type { ProjectHealth } from '../../../shared/api/workspace-schemas.js';
import { formatClock } from '../lib/format.js';
import { HEALTH_PARTS, HEALTH_TONE } from '../lib/project-status.js';

/** Backend, keys, mirror database and sync, each from its last probe, with the cause and the fix when failing. */
export function HealthBadges({
  health,
  onRecheck,
}: {
  health: ProjectHealth | null;
  onRecheck?: () => void;
}) {
  if (!health) {
    return (
      <p className="muted small-text" data-testid="health">
        Checking the backend, keys, mirror database and sync…
      </p>
    );
  }
  const problems = HEALTH_PARTS.filter(([part]) => health[part].detail && health[part].state !== 'ok');
  return (
    <div className="health" data-testid="health">
      <div className="chips">
        {HEALTH_PARTS.map(([part, name]) => (
          <span
            key={part}
            className={`pill ${HEALTH_TONE[health[part].state]}`}
            data-testid={`health-${part}`}
            title={health[part].detail ?? undefined}
          >
            {name}: {health[part].label}
          </span>
        ))}
        <span className="muted small-text">checked {formatClock(health.checkedAt)}</span>
        {onRecheck && (
          <button type="button" className="button small" onClick={onRecheck}>
            Check again
          </button>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="health-problems" data-testid="health-problems">
          {problems.map(([part, name]) => (
            <li key={part} className={health[part].state === 'error' ? 'error-text' : 'muted'}>
              <strong>{name}:</strong> {health[part].detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
