/**
 * React keys for lists whose items have no id and may repeat (log lines, headers): the item's own text, numbered
 * from its second occurrence. Stable while the list only grows at the end.
 */
export function withKeys<T>(items: readonly T[], keyOf: (item: T) => string): Array<[string, T]> {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = keyOf(item);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return [count === 0 ? base : `${base}#${count}`, item];
  });
}
