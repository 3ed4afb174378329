import type { KeyboardEvent } from 'react';

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export type ColumnSort = { column: string; direction: 'asc' | 'desc' } | null;

/** A click on a column header: ascending, then descending, then back to the default order. */
export function nextSort(current: ColumnSort, column: string): ColumnSort {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}

function compareCells(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true });
}

/** Rows of a complete result ordered by one column (NULL first ascending, last descending); stable otherwise. */
export function sortRows<R extends readonly unknown[]>(
  columns: readonly string[],
  rows: readonly R[],
  sort: ColumnSort,
): readonly R[] {
  const index = sort ? columns.indexOf(sort.column) : -1;
  if (!sort || index === -1) return rows;
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compareCells(a[index], b[index]));
}

/**
 * Rows of a query or a table page; rows take focus, Enter selects, arrow keys move between rows. With `onSort`,
 * each column header is a button that orders by that column (`sort` says which one does now).
 */
export function ResultTable({
  columns,
  rows,
  selected,
  onSelect,
  sort,
  onSort,
  testId,
}: {
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  selected?: number | null;
  onSelect?: (index: number) => void;
  sort?: ColumnSort;
  onSort?: (sort: ColumnSort) => void;
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
            {columns.map((c) => {
              const direction = sort?.column === c ? sort.direction : null;
              return (
                <th
                  key={c}
                  aria-sort={
                    onSort
                      ? direction === 'asc'
                        ? 'ascending'
                        : direction === 'desc'
                          ? 'descending'
                          : 'none'
                      : undefined
                  }
                >
                  {onSort ? (
                    <button
                      type="button"
                      className="sort-button"
                      title={`Sort by ${c}`}
                      onClick={() => onSort(nextSort(sort ?? null, c))}
                    >
                      {c}
                      <span aria-hidden="true" className="sort-mark">
                        {direction === 'asc' ? ' ▲' : direction === 'desc' ? ' ▼' : ''}
                      </span>
                    </button>
                  ) : (
                    c
                  )}
                </th>
              );
            })}
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
