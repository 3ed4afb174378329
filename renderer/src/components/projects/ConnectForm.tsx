import { type FormEvent, useState } from 'react';
import type { ApiInput, ApiOutput } from '../../../../shared/api/contract.js';
import {
  checkProjectField,
  type FieldProblem,
  PROJECT_FIELD_LABELS,
  type ProjectField,
} from '../../../../shared/project-fields.js';
import { api } from '../../api.js';
import { HEALTH_TONE } from '../../lib/project-status.js';
import { navigate } from '../../lib/router.js';
import { useProjectsStore } from '../../stores/projects.js';

type ConnectInput = Extract<ApiInput<'projects.create'>, { kind: 'connected' }>;
type Field = Exclude<keyof ConnectInput, 'kind'>;
type Probe = ApiOutput<'projects.probe'>;

interface FieldSpec {
  readonly name: Field;
  readonly placeholder: string;
  readonly secret?: boolean;
}

const BY_HAND: readonly FieldSpec[] = [
  { name: 'apiUrl', placeholder: 'https://api.example.com' },
  { name: 'projectId', placeholder: 'the UUID from your dashboard' },
  { name: 'publishableClientKey', placeholder: 'pck_…' },
  { name: 'secretServerKey', placeholder: 'ssk_… (mirrors users through the API)', secret: true },
  { name: 'superSecretAdminKey', placeholder: 'sak_… (optional)', secret: true },
];

const DATABASES: readonly FieldSpec[] = [
  {
    name: 'internalDatabaseUrl',
    placeholder: 'postgres://… of your Stack/Hexclave backend (full sync pipeline)',
    secret: true,
  },
  {
    name: 'mirrorDatabaseUrl',
    placeholder: 'postgres://… where users are mirrored (default: an embedded one)',
    secret: true,
  },
];

/** The format checks, as the user types (shared with main, which checks again before storing anything). */
function problemsOf(values: Partial<Record<Field, string>>, fields: readonly Field[]) {
  const problems: Partial<Record<Field, FieldProblem>> = {};
  for (const field of fields) {
    const problem = checkProjectField(field as ProjectField, values[field] ?? '', {
      projectId: values.projectId,
    });
    if (problem) problems[field] = problem;
  }
  return problems;
}

function ProbeResult({ probe }: { probe: Probe }) {
  const rows = [
    ['Backend', probe.backend],
    ['Keys', probe.keys],
  ] as const;
  return (
    <div className="probe-result" data-testid="connect-probe" role="status">
      <strong>
        {probe.ok ? 'The backend answers and accepts these settings.' : 'This would not work yet:'}
      </strong>
      <ul>
        {probe.problems
          .filter((p) => p.level === 'error')
          .map((p) => (
            <li key={p.field} className="error-text">
              {PROJECT_FIELD_LABELS[p.field]}: {p.message}
            </li>
          ))}
        {rows.map(([name, check]) =>
          check ? (
            <li key={name}>
              <span className={`pill ${HEALTH_TONE[check.state]}`}>
                {name}: {check.label}
              </span>{' '}
              {check.state !== 'ok' && check.detail}
            </li>
          ) : null,
        )}
        {Object.entries(probe.from)
          .filter(([, from]) => from !== 'typed')
          .map(([field, from]) => (
            <li key={field} className="muted small-text">
              {PROJECT_FIELD_LABELS[field as ProjectField]} from {from}
            </li>
          ))}
      </ul>
    </div>
  );
}

/**
 * "Connect my project": a folder whose .env/config main resolves, or the values by hand. Each value is checked as
 * it is typed; Connect first probes the backend (reachable? a Stack/Hexclave API? keys accepted?) and connects
 * only when it works — or when the user chooses "Connect anyway" for a backend that is down right now. Secrets go
 * to main on probe and create, and are cleared from this form right after; the UI only learns which are set.
 */
export function ConnectForm({ onDone }: { onDone?: () => void }) {
  const create = useProjectsStore((s) => s.create);
  const [mode, setMode] = useState<'folder' | 'manual'>('folder');
  const [values, setValues] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState<'probing' | 'connecting' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [probe, setProbe] = useState<Probe | null>(null);

  const fields: { name: Field; label: string; placeholder: string; secret?: boolean }[] = [
    { name: 'name', label: 'Name', placeholder: 'optional; defaults to the folder or host' },
    ...(mode === 'folder'
      ? [{ name: 'folder' as const, placeholder: '/home/you/code/my-next-app' }]
      : BY_HAND
    ).map((f) => ({ ...f, label: PROJECT_FIELD_LABELS[f.name] })),
    ...DATABASES.map((f) => ({ ...f, label: PROJECT_FIELD_LABELS[f.name] })),
  ];
  const problems = problemsOf(
    values,
    fields.map((f) => f.name),
  );
  const blocked = Object.values(problems).some((p) => p?.level === 'error');

  const inputOf = (): ConnectInput => {
    const input: ConnectInput = { kind: 'connected' };
    for (const { name } of fields) {
      const value = values[name]?.trim();
      if (value) (input as Record<string, string>)[name] = value;
    }
    return input;
  };

  const connect = async () => {
    setBusy('connecting');
    try {
      await create(inputOf());
      setValues({});
      setProbe(null);
      onDone?.();
      navigate('sync');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (blocked) return;
    setBusy('probing');
    setError(null);
    setProbe(null);
    let result: Probe;
    try {
      result = await api.call('projects.probe', inputOf());
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(null);
      return;
    }
    if (result.ok) {
      await connect();
      return;
    }
    setProbe(result);
    setBusy(null);
  };

  const edit = (name: Field, value: string) => {
    setValues({ ...values, [name]: value });
    setProbe(null);
  };

  return (
    <form
      className="form"
      onSubmit={submit}
      aria-label="Connect my project"
      data-testid="connect-form"
      noValidate
    >
      <fieldset className="segmented">
        <legend className="muted small-text">Where the settings come from</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'folder'} onChange={() => setMode('folder')} /> A
          project folder (.env files and stack.config / hexclave.config)
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'manual'} onChange={() => setMode('manual')} />{' '}
          Enter them by hand
        </label>
      </fieldset>
      {fields.map((field) => {
        const problem = problems[field.name];
        const hintId = `connect-${field.name}-problem`;
        return (
          <label key={field.name} className="field">
            <span>{field.label}</span>
            <input
              type={field.secret ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              placeholder={field.placeholder}
              value={values[field.name] ?? ''}
              aria-invalid={problem?.level === 'error' ? true : undefined}
              aria-describedby={problem ? hintId : undefined}
              onChange={(event) => edit(field.name, event.target.value)}
            />
            {problem && (
              <span
                id={hintId}
                className={`small-text ${problem.level === 'error' ? 'error-text' : 'warn-text'}`}
                data-testid="field-problem"
              >
                {problem.message}
              </span>
            )}
          </label>
        );
      })}
      <p className="muted small-text">
        Keys and database URLs are sent once to the companion's secret store (the OS keychain in the desktop
        app, a file only you can read in the browser version) and are never shown again.
      </p>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {probe && <ProbeResult probe={probe} />}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy !== null || blocked}>
          {busy === 'probing' ? 'Checking…' : busy === 'connecting' ? 'Connecting…' : 'Connect project'}
        </button>
        {probe && !probe.ok && probe.problems.every((p) => p.level !== 'error') && (
          <button type="button" className="button" disabled={busy !== null} onClick={() => void connect()}>
            Connect anyway
          </button>
        )}
      </div>
    </form>
  );
}
