import type { TrafficDetail } from '../../../../shared/api/workspace-schemas.js';
import { withKeys } from '../../lib/keys.js';

type PairRow = TrafficDetail['requestPairs'][number];

/** Each registry header present in the exchange, its stack and hexclave forms side by side. */
export function HeaderPairs({
  title,
  rows,
  testId,
}: {
  title: string;
  rows: readonly PairRow[];
  testId: string;
}) {
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">No stack or hexclave headers.</p>
      ) : (
        <table className="grid compact pairs" data-testid={testId}>
          <thead>
            <tr>
              <th>stack</th>
              <th>hexclave</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.entryId ?? row.stackName ?? row.hexclaveName}
                className={row.differs ? 'differs' : ''}
              >
                <td>
                  <code className={row.stackValue === null ? 'muted' : ''}>{row.stackName ?? '—'}</code>
                  <div className="value">{row.stackValue ?? <span className="muted">not sent</span>}</div>
                </td>
                <td>
                  <code className={row.hexclaveValue === null ? 'muted' : ''}>
                    {row.hexclaveName ?? 'no twin'}
                  </code>
                  <div className="value">
                    {row.hexclaveValue ?? (
                      <span className="muted">{row.hexclaveName ? 'not sent' : 'frozen name'}</span>
                    )}
                  </div>
                  {row.differs && <span className="pill warn">values differ</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RawHeaders({
  title,
  headers,
}: {
  title: string;
  headers: readonly (readonly [string, string])[];
}) {
  return (
    <details>
      <summary>
        {title} ({headers.length})
      </summary>
      <table className="grid compact">
        <tbody>
          {withKeys(headers, ([name]) => name).map(([key, [name, value]]) => (
            <tr key={key}>
              <td>
                <code>{name}</code>
              </td>
              <td className="value">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
