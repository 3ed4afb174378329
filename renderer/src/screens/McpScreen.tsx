import { useEffect } from 'react';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { CopyButton } from '../components/CopyButton.js';
import { ToolRunner } from '../components/mcp/ToolRunner.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { formatDateTime, formatMs } from '../lib/format.js';
import { withKeys } from '../lib/keys.js';
import { useMcpStore } from '../stores/mcp.js';

function Mcp({ project }: { project: ProjectWithRuntime }) {
  const { data, state, error, load, selected, select } = useMcpStore();
  useEffect(() => {
    void load(project.id);
  }, [load, project.id]);

  if (state === 'loading' || (state === 'idle' && !data))
    return <LoadingState label="Starting the MCP server to list its tools…" />;
  if (state === 'error' && !data) {
    return (
      <ErrorState
        title="Could not check the MCP server"
        message={error ?? ''}
        onRetry={() => void load(project.id)}
      />
    );
  }
  if (!data) return null;
  return (
    <>
      <div className={`verdict ${data.reachable ? 'ok' : 'error'}`} data-testid="mcp-reachable">
        <span className={`pill big ${data.reachable ? 'ok' : 'error'}`}>
          {data.reachable ? 'reachable' : 'unreachable'}
        </span>
        <div>
          <strong>
            {data.reachable
              ? `The MCP server for ${project.name} starts and lists ${data.tools.length} tools.`
              : 'The MCP server did not start with this configuration.'}
          </strong>
          {data.message && <p className="error-text">{data.message}</p>}
          <p className="muted small-text">
            Your editor runs it as a separate process (stdio); it reads this project's mirror and backend
            settings from the companion, so no key is in the snippets below.
          </p>
        </div>
        <button type="button" className="button small" onClick={() => void load(project.id)}>
          Check again
        </button>
      </div>

      <section className="card" aria-labelledby="snippets-title">
        <h2 id="snippets-title">Add it to your editor</h2>
        <div className="snippets">
          {data.snippets.map((snippet) => (
            <div key={snippet.editor} className="snippet" data-testid="mcp-snippet">
              <header className="card-header">
                <h3>{snippet.editor}</h3>
                <span className="muted small-text">
                  {snippet.file === 'terminal' ? 'run in a terminal' : snippet.file}
                </span>
                <CopyButton text={snippet.content} label={`Copy for ${snippet.editor}`} />
              </header>
              <pre className="code-block">{snippet.content}</pre>
            </div>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="tools-title">
        <h2 id="tools-title">Tools</h2>
        <p className="muted small-text">
          Each tool as your editor's agent sees it. Pick one to call it with JSON arguments and see the raw
          result, as the MCP Inspector does.
        </p>
        {data.toolInfo.length === 0 ? (
          <p className="muted">No tools listed.</p>
        ) : (
          <div className="tool-browser">
            <ul className="list" data-testid="mcp-tools">
              {data.toolInfo.map((tool) => (
                <li key={tool.name}>
                  <button
                    type="button"
                    className="list-button"
                    aria-current={tool.name === selected}
                    onClick={() => select(tool.name)}
                  >
                    <code>{tool.name}</code> {!tool.readOnly && <span className="pill warn">can write</span>}
                    <span className="muted small-text tool-title">{tool.title}</span>
                  </button>
                </li>
              ))}
            </ul>
            {selected && data.toolInfo.some((t) => t.name === selected) ? (
              <ToolRunner tool={data.toolInfo.find((t) => t.name === selected)!} />
            ) : (
              <EmptyState title="Pick a tool">
                Its description, input schema and a form to call it appear here.
              </EmptyState>
            )}
          </div>
        )}
      </section>

      <div className="columns">
        <section className="card" aria-labelledby="calls-title">
          <h2 id="calls-title">Recent tool calls</h2>
          {data.calls.length === 0 ? (
            <EmptyState title="No calls yet">
              Ask your editor's agent about your users to see its tool calls here.
            </EmptyState>
          ) : (
            <table className="grid compact" data-testid="mcp-calls">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Tool</th>
                  <th>Result</th>
                  <th className="num">Time</th>
                  <th>Summary</th>
                </tr>
              </thead>
              <tbody>
                {withKeys(data.calls, (c) => `${c.at}:${c.tool}`).map(([key, call]) => (
                  <tr key={key}>
                    <td>{formatDateTime(call.at)}</td>
                    <td>
                      <code>{call.tool}</code>
                    </td>
                    <td>
                      <span className={`pill ${call.ok ? 'ok' : 'error'}`}>{call.ok ? 'ok' : 'error'}</span>
                    </td>
                    <td className="num">{formatMs(call.ms)}</td>
                    <td>{call.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}

export function McpScreen() {
  return (
    <section className="screen" aria-labelledby="mcp-title">
      <header className="screen-header">
        <h1 id="mcp-title">MCP</h1>
        <p className="muted">
          Give Claude Code, Cursor, VS Code or Claude Desktop your mirror, registry and checker as tools.
        </p>
      </header>
      <ProjectGate needsRunning={false}>{(project) => <Mcp project={project} />}</ProjectGate>
    </section>
  );
}
