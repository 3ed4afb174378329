import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type ReactNode, useEffect, useMemo, useRef } from 'react';

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
  /** Keep the newest (last) row in view while the user is at the bottom, like a log. */
  readonly followTail?: boolean;
  /** Class per row, e.g. to tint errors. */
  readonly rowClass?: (row: Row) => string;
}

interface RowProps<Row> {
  readonly row: Row;
  readonly index: number;
  readonly start: number;
  readonly selected: boolean;
  readonly columns: readonly Column<Row>[];
  readonly template: string;
  readonly height: number;
  readonly className: string;
  readonly testId: string | undefined;
  readonly onSelect: ((row: Row) => void) | undefined;
}

// Rows that stay on screen while scrolling keep their props, so React skips them.
const VirtualRow = memo(function VirtualRow<Row>({
  row,
  index,
  start,
  selected,
  columns,
  template,
  height,
  className,
  testId,
  onSelect,
}: RowProps<Row>) {
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid={testId}
      className={`vtable-row ${className}`}
      style={{ gridTemplateColumns: template, height, transform: `translateY(${start}px)` }}
      onClick={() => onSelect?.(row)}
    >
      {columns.map((c) => (
        <div key={c.key} role="gridcell">
          {c.render(row)}
        </div>
      ))}
    </div>
  );
}) as <Row>(props: RowProps<Row>) => ReactNode;

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
  followTail = false,
  rowClass,
}: VirtualTableProps<Row>) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  const template = columns.map((c) => c.width).join(' ');
  const selectedIndex = useMemo(
    () => (selectedKey == null ? -1 : rows.findIndex((r) => rowKey(r) === selectedKey)),
    [rows, rowKey, selectedKey],
  );

  const atBottom = useRef(true);

  useEffect(() => {
    if (followTail && atBottom.current && rows.length > 0)
      virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [followTail, rows.length, virtualizer]);

  // A selection made elsewhere (a #traffic/<seq> link) scrolls into view once.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (selectedIndex < 0 || revealed.current === selectedKey) return;
    revealed.current = selectedKey ?? null;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, selectedKey, virtualizer]);

  const pageSize = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / rowHeight) - 1);
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
        const delta = {
          ArrowDown: 1,
          ArrowUp: -1,
          PageDown: pageSize,
          PageUp: -pageSize,
          Home: -rows.length,
          End: rows.length,
        }[event.key];
        if (delta === undefined) return;
        event.preventDefault();
        move(delta);
      }}
    >
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader">
            {c.header}
          </div>
        ))}
      </div>
      <div
        ref={scroller}
        className="vtable-body"
        style={{ height }}
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < rowHeight * 2;
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const key = rowKey(row);
            return (
              <VirtualRow
                key={key}
                row={row}
                index={item.index}
                start={item.start}
                selected={key === selectedKey}
                columns={columns}
                template={template}
                height={rowHeight}
                className={rowClass?.(row) ?? ''}
                testId={testId ? `${testId}-row` : undefined}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
