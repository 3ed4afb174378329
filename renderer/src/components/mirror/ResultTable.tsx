import type { KeyboardEvent } from 'react';

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows of a query or a table page; rows take focus, Enter selects, arrow keys move between rows. */
export function ResultTable({
  columns,
  rows,
  selected,
  onSelect,
  testId,
}: {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  selected?: number | null;
  onSelect?: (index: number) => void;
  testId?: string;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect?.(index);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const row =
        event.key === 'ArrowDown'
          ? event.currentTarget.nextElementSibling
          : event.currentTarget.previousElementSibling;
      (row as HTMLElement | null)?.focus();
    }
  };
  return (
    <div className="table-scroll result-table">
      <table className="grid compact" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr
              // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no key of their own; their order is the page's.
              key={index}
              tabIndex={onSelect ? 0 : undefined}
              aria-selected={onSelect ? selected === index : undefined}
              data-testid={testId ? `${testId}-row` : undefined}
              onClick={onSelect ? () => onSelect(index) : undefined}
              onKeyDown={onSelect ? (event) => onKeyDown(event, index) : undefined}
            >
              {row.map((value, column) => (
                <td key={columns[column] ?? column} className={value === null ? 'muted' : ''}>
                  {cellText(value).slice(0, 200)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
