import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';

export interface Column<Row> {
  readonly key: string;
  readonly header: string;
  readonly width: string;
  readonly render: (row: Row) => ReactNode;
}

export interface VirtualTableProps<Row> {
  readonly rows: readonly Row[];
  readonly columns: readonly Column<Row>[];
  readonly rowKey: (row: Row) => string;
  readonly selectedKey?: string | null;
  readonly onSelect?: (row: Row) => void;
  readonly rowHeight?: number;
  readonly height?: number | string;
  readonly label: string;
  readonly testId?: string;
}

/** Only the visible rows are in the DOM, so 10,000+ rows scroll as smoothly as 10. Arrow keys move the selection. */
export function VirtualTable<Row>({
  rows,
  columns,
  rowKey,
  selectedKey,
  onSelect,
  rowHeight = 30,
  height = 480,
  label,
  testId,
}: VirtualTableProps<Row>) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const template = columns.map((c) => c.width).join(' ');
  const selectedIndex = rows.findIndex((r) => rowKey(r) === selectedKey);

  const move = (delta: number) => {
    const next = Math.min(rows.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + delta));
    const row = rows[next];
    if (row && onSelect) {
      onSelect(row);
      virtualizer.scrollToIndex(next);
    }
  };

  return (
    // ARIA grid on divs (biome a11y override in biome.json): the virtualizer positions rows absolutely, which a <table> cannot lay out; the grid itself takes focus and arrow keys.
    <div
      className="vtable"
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length}
      data-testid={testId}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown') {
          event.preventDefault();
          move(1);
        } else if (event.key === 'ArrowUp') {
          event.preventDefault();
          move(-1);
        }
      }}
    >
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader">
            {c.header}
          </div>
        ))}
      </div>
      <div ref={scroller} className="vtable-body" style={{ height }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const key = rowKey(row);
            return (
              <div
                key={key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={key === selectedKey}
                data-testid={testId ? `${testId}-row` : undefined}
                className="vtable-row"
                style={{
                  gridTemplateColumns: template,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
                onClick={() => onSelect?.(row)}
              >
                {columns.map((c) => (
                  <div key={c.key} role="gridcell">
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
