import type { ApiOutput } from '../../../../shared/api/contract.js';
import { formatMs } from '../../lib/format.js';
import { useMcpStore } from '../../stores/mcp.js';
import { ErrorState } from '../States.js';

type ToolInfo = ApiOutput<'mcp.status'>['toolInfo'][number];

/**
 * One tool of the project's MCP server, as the MCP Inspector shows it: its description and input schema, JSON
 * arguments to edit, and the raw result of a call. A tool that can write runs only once the user confirms (main
 * enforces it too).
 */
export function ToolRunner({ tool }: { tool: ToolInfo }) {
  const { argsText, setArgs, confirmed, setConfirmed, call, callState, callResult, callError } =
    useMcpStore();
  const blocked = !tool.readOnly && !confirmed;
  return (
    <div className="tool-runner" data-testid="mcp-tool-runner">
      <header className="card-header">
        <h3>
          <code>{tool.name}</code>
          {tool.title ? ` — ${tool.title}` : ''}
        </h3>
        <span className={`pill ${tool.readOnly ? 'ok' : 'warn'}`}>
          {tool.readOnly ? 'read-only' : 'can write'}
        </span>
      </header>
      <p className="tool-description" data-testid="mcp-tool-description">
        {tool.description}
      </p>
      <details>
        <summary className="muted small-text">Input schema</summary>
        <pre className="code-block">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
      </details>
      <label className="field">
        <span>
          Arguments (JSON) <span className="muted small-text">(Ctrl+Enter calls)</span>
        </span>
        <textarea
          className="sql"
          rows={6}
          spellCheck={false}
          value={argsText}
          aria-label={`Arguments for ${tool.name}`}
          onChange={(event) => setArgs(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !blocked) {
              event.preventDefault();
              void call();
            }
          }}
        />
      </label>
      {!tool.readOnly && (
        <label className="confirm">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(event) => setConfirmed(event.target.checked)}
          />
          This tool does not promise to be read-only (e.g. it signs up a throwaway user). Run it anyway.
        </label>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          disabled={callState === 'running' || blocked}
          onClick={() => void call()}
        >
          {callState === 'running' ? 'Calling…' : `Call ${tool.name}`}
        </button>
        {callResult && callState === 'ready' && (
          <span className="muted small-text" data-testid="mcp-call-summary">
            {callResult.result.isError === true ? 'The tool answered with an error' : 'Answered'} in{' '}
            {formatMs(callResult.ms)}
          </span>
        )}
      </div>
      {callError && (
        <ErrorState
          title={callError.name === 'Mcp:confirm' ? 'Confirm first' : 'The call failed'}
          message={callError.message}
        />
      )}
      {callResult && callState === 'ready' && (
        <section aria-label={`Raw result of ${tool.name}`}>
          <pre className="code-block" data-testid="mcp-result">
            {JSON.stringify(callResult.result, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}
