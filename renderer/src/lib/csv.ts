/**
 * Rows as CSV (RFC 4180): every field quoted when it holds a comma, quote, CR or LF; NULL as an empty field; JSON
 * values as their JSON text. Lines end in CRLF, as spreadsheets expect.
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const field = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[columns, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
