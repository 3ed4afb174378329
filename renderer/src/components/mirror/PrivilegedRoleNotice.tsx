import { useState } from 'react';
import { useMirrorStore } from '../../stores/mirror.js';
import { CopyButton } from '../CopyButton.js';

/** The error name main gives a mirror read refused because its role is more than a reader. */
export const PRIVILEGED_ROLE = 'Mirror:privileged-role';

/**
 * Why the mirror's role is refused, the statements that create a read-only one (ready to copy), and a button that
 * lets the companion create it through the URL the project was given.
 */
export function PrivilegedRoleNotice({ message }: { message: string }) {
  const { createReader } = useMirrorStore();
  const [state, setState] = useState<'idle' | 'creating' | 'failed'>('idle');
  const [failure, setFailure] = useState('');
  const [reason = '', , statements = '', ...rest] = message.split('\n\n');
  return (
    <div className="state error-state" role="alert" data-testid="privileged-role">
      <strong>Refused: the mirror's role can do more than read</strong>
      <div>{reason.replace(/^Refused: /, '')}</div>
      {statements && (
        <>
          <div>Create a read-only role yourself with:</div>
          <pre className="code-block">{statements}</pre>
          <div className="toolbar">
            <CopyButton text={statements} label="Copy the statements" />
          </div>
        </>
      )}
      {rest.slice(0, 1).map((line) => (
        <div key={line}>{line}</div>
      ))}
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          disabled={state === 'creating'}
          onClick={async () => {
            setState('creating');
            const error = await createReader();
            setState(error ? 'failed' : 'idle');
            setFailure(error ?? '');
          }}
        >
          {state === 'creating' ? 'Creating…' : 'Create a read-only role'}
        </button>
        <span className="muted small-text">
          Uses the mirror URL you gave this project; it must be allowed to create roles.
        </span>
      </div>
      {state === 'failed' && <div data-testid="create-reader-failed">{failure}</div>}
    </div>
  );
}
