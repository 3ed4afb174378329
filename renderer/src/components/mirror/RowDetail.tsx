import { CopyButton } from '../CopyButton.js';
import { cellText } from './ResultTable.js';

const isJson = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * One row, field by field: JSON values pretty-printed (the cell viewer), each value with a copy button, and the
 * whole row to copy as JSON.
 */
export function RowDetail({
  columns,
  row,
  onClose,
}: {
  columns: readonly string[];
  row: readonly unknown[];
  onClose: () => void;
}) {
  const asObject = Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null]));
  return (
    <aside className="detail row-detail" aria-label="Row detail" data-testid="row-detail">
      <header className="card-header">
        <h2>Row</h2>
        <CopyButton text={JSON.stringify(asObject, null, 2)} label="Copy row as JSON" testId="copy-row" />
        <button type="button" className="button small" onClick={onClose}>
          Close
        </button>
      </header>
      <dl>
        {columns.map((column, index) => {
          const value = row[index];
          const text = isJson(value) ? JSON.stringify(value, null, 2) : cellText(value);
          return (
            <div key={column} className="fact-row" data-testid="row-field">
              <dt>{column}</dt>
              <dd className="row-value">
                {isJson(value) ? (
                  <pre className="code-block json-cell" data-testid="json-cell">
                    {text}
                  </pre>
                ) : (
                  <code className={value === null ? 'muted' : ''}>{text}</code>
                )}
                {value !== null && value !== undefined && (
                  <CopyButton text={text} title={`Copy ${column}`} testId={`copy-${column}`} />
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </aside>
  );
}
