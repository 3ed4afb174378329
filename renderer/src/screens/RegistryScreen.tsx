import { useEffect } from 'react';
import { useRegistryStore } from '../stores/registry.js';

const POLICY_TONE: Record<string, string> = {
  'dual-accept': 'ok',
  'dual-emit': 'ok',
  'dual-write-read-new-first': 'ok',
  'read-new-first': 'ok',
  'dual-attach': 'ok',
  'rename-outright': 'warn',
  frozen: 'muted',
  'out-of-scope': 'muted',
};

export function RegistryScreen() {
  const { query, entries, status, error, selectedId, setQuery, select } = useRegistryStore();

  useEffect(() => {
    if (status === 'idle') setQuery('');
  }, [status, setQuery]);

  const selected = entries.find((e) => e.id === selectedId) ?? null;

  return (
    <section className="screen" aria-labelledby="registry-title">
      <header className="screen-header">
        <h1 id="registry-title">Identifier registry</h1>
        <p className="muted">
          Every old stack identifier, its hexclave twin and the rule that governs the pair.
        </p>
        <input
          className="search"
          type="search"
          placeholder="Search by name, category or policy — e.g. stack-access, cookie, dual-emit"
          aria-label="Search identifiers"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </header>
      {status === 'error' && (
        <div className="error-banner" role="alert">
          Could not load the registry: {error}
        </div>
      )}
      {status === 'loading' && entries.length === 0 && <p className="muted">Loading…</p>}
      {status === 'ready' && entries.length === 0 && (
        <p className="empty" data-testid="registry-empty">
          No identifier matches “{query}”. Try a shorter name or a category such as <code>cookie</code>.
        </p>
      )}
      <div className="split">
        <table className="grid" data-testid="registry-table">
          <thead>
            <tr>
              <th>Old (stack)</th>
              <th>New (hexclave)</th>
              <th>Category</th>
              <th>Policy</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr
                key={entry.id}
                data-testid="registry-row"
                aria-selected={entry.id === selectedId}
                tabIndex={0}
                onClick={() => select(entry.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') select(entry.id);
                }}
              >
                <td>
                  <code>{entry.old}</code>
                </td>
                <td>{entry.new ? <code>{entry.new}</code> : <span className="muted">none</span>}</td>
                <td>{entry.category}</td>
                <td>
                  <span className={`pill ${POLICY_TONE[entry.policy] ?? ''}`}>{entry.policy}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {selected && (
          <aside className="detail" data-testid="registry-detail" aria-label="Identifier detail">
            <h2>{selected.concept}</h2>
            <dl>
              <dt>Old</dt>
              <dd>
                <code>{selected.old}</code>
              </dd>
              <dt>New</dt>
              <dd>{selected.new ? <code>{selected.new}</code> : 'none'}</dd>
              {selected.oldAliases && (
                <>
                  <dt>Also read</dt>
                  <dd>{selected.oldAliases.join(', ')}</dd>
                </>
              )}
              <dt>Policy</dt>
              <dd>{selected.policy}</dd>
              <dt>Applied by</dt>
              <dd>{selected.sides.join(', ')}</dd>
              <dt>Spec</dt>
              <dd>{selected.specRef}</dd>
              {selected.shipped && (
                <>
                  <dt>Shipped SDK</dt>
                  <dd>{selected.shipped}</dd>
                </>
              )}
              {selected.planDifference && (
                <>
                  <dt>Plan differs</dt>
                  <dd>{selected.planDifference}</dd>
                </>
              )}
            </dl>
            {selected.notes && <p>{selected.notes}</p>}
          </aside>
        )}
      </div>
    </section>
  );
}
