import { type FormEvent, useState } from 'react';
import type { ApiInput } from '../../../../shared/api/contract.js';
import { navigate } from '../../lib/router.js';
import { useProjectsStore } from '../../stores/projects.js';

type ConnectInput = Extract<ApiInput<'projects.create'>, { kind: 'connected' }>;
type Field = Exclude<keyof ConnectInput, 'kind'>;

interface FieldSpec {
  readonly name: Field;
  readonly label: string;
  readonly placeholder: string;
  readonly secret?: boolean;
}

const BY_HAND: readonly FieldSpec[] = [
  { name: 'apiUrl', label: 'API URL', placeholder: 'https://api.example.com' },
  { name: 'projectId', label: 'Project id', placeholder: 'the UUID from your dashboard' },
  { name: 'publishableClientKey', label: 'Publishable client key', placeholder: 'pck_…' },
  {
    name: 'secretServerKey',
    label: 'Secret server key',
    placeholder: 'ssk_… (mirrors users through the API)',
    secret: true,
  },
  { name: 'superSecretAdminKey', label: 'Super secret admin key', placeholder: 'optional', secret: true },
];

const DATABASES: readonly FieldSpec[] = [
  {
    name: 'internalDatabaseUrl',
    label: 'Internal database URL',
    placeholder: 'postgres://… of your Stack/Hexclave backend (full sync pipeline)',
    secret: true,
  },
  {
    name: 'mirrorDatabaseUrl',
    label: 'Mirror database URL',
    placeholder: 'postgres://… where users are mirrored (default: an embedded one)',
    secret: true,
  },
];

/**
 * "Connect my project": a folder whose .env/config main resolves, or the values by hand. Secrets go to main once,
 * on create, and are cleared from this form right after; the UI only ever learns which secrets are set.
 */
export function ConnectForm({ onDone }: { onDone?: () => void }) {
  const create = useProjectsStore((s) => s.create);
  const [mode, setMode] = useState<'folder' | 'manual'>('folder');
  const [values, setValues] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fields = [
    { name: 'name' as const, label: 'Name', placeholder: 'optional; defaults to the folder or host' },
    ...(mode === 'folder'
      ? [{ name: 'folder' as const, label: 'Project folder', placeholder: '/home/you/code/my-next-app' }]
      : BY_HAND),
    ...DATABASES,
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: ConnectInput = { kind: 'connected' };
    for (const { name } of fields) {
      const value = values[name]?.trim();
      if (value) (input as Record<string, string>)[name] = value;
    }
    setBusy(true);
    setError(null);
    try {
      await create(input);
      setValues({});
      onDone?.();
      navigate('sync');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Connect my project" data-testid="connect-form">
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
      {fields.map((field) => (
        <label key={field.name} className="field">
          <span>{field.label}</span>
          <input
            type={'secret' in field && field.secret ? 'password' : 'text'}
            autoComplete="off"
            spellCheck={false}
            placeholder={field.placeholder}
            value={values[field.name] ?? ''}
            onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
          />
        </label>
      ))}
      <p className="muted small-text">
        Keys and database URLs are sent once to the companion's secret store (the OS keychain in the desktop
        app, a file only you can read in the browser version) and are never shown again.
      </p>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Connecting…' : 'Connect project'}
      </button>
    </form>
  );
}
