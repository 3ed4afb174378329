/** An on/off switch: a button with role="switch", so Space/Enter toggle it and screen readers say its state. */
export function Switch({
  label,
  description,
  checked,
  busy,
  onChange,
}: {
  label: string;
  description: string;
  checked: boolean;
  busy?: boolean;
  onChange: (next: boolean) => void;
}) {
  return (
    <div className="switch-row">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={label}
        className={`switch ${checked ? 'on' : 'off'}`}
        disabled={busy}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-knob" aria-hidden="true" />
      </button>
      <div>
        <div className="switch-label">
          {label} <span className={`pill ${checked ? 'ok' : 'warn'}`}>{checked ? 'on' : 'paused'}</span>
        </div>
        <div className="muted small-text">{description}</div>
      </div>
    </div>
  );
}
