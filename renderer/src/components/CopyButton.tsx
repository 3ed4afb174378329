import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard.js';

/**
 * Copies `text` on click and says so for two seconds (announced to screen readers). `text` may be a function
 * that fetches it on click (for what should only leave main when asked for, such as a command with secrets).
 */
export function CopyButton({
  text,
  label = 'Copy',
  testId,
  title,
}: {
  text: string | (() => Promise<string>);
  label?: string;
  testId?: string;
  title?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className="button small"
      data-testid={testId}
      title={title}
      onClick={async () => {
        try {
          setState((await copyText(typeof text === 'string' ? text : await text())) ? 'copied' : 'failed');
        } catch {
          setState('failed');
        }
      }}
    >
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
      </span>
    </button>
  );
}
