import type { Occurrence } from '../occurrence.js';

/**
 * `.env` files, the format dotenv reads: `KEY=value` lines, `export` allowed, `#` comments on their own line or
 * after an unquoted value. The key is a variable set here (what `scan --fix` may add a twin for); an unquoted or
 * double-quoted value may refer to others as `${NAME}` / `$NAME`, and may itself be a name or URL.
 */
export function envFileOccurrences(text: string): Occurrence[] {
  const out: Occurrence[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const lineEnd = lineStart + line.length;
    const match = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(
      line.replace(/\r$/, ''),
    );
    if (match) {
      const keyOffset = lineStart + match[1]!.length + (match[2]?.length ?? 0);
      const raw = match[4]!;
      const afterEquals = line.indexOf('=', keyOffset - lineStart) + 1;
      const valueOffset =
        lineStart +
        afterEquals +
        (line.slice(afterEquals).length - line.slice(afterEquals).trimStart().length);
      const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : null;
      const value = quote
        ? raw.slice(1, raw.lastIndexOf(quote) > 0 ? raw.lastIndexOf(quote) : undefined)
        : raw.replace(/\s+#.*$/, '');
      out.push({
        kind: 'env-name',
        value: match[3]!,
        offset: keyOffset,
        access: 'write',
        assignment: { value, lineEnd },
      });
      const start = valueOffset + (quote ? 1 : 0);
      if (/stack|hexclave/i.test(value)) {
        if (quote !== "'") {
          for (const ref of value.matchAll(
            /\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
          )) {
            const name = (ref[1] ?? ref[2])!;
            out.push({
              kind: 'env-name',
              value: name,
              offset: start + ref.index! + ref[0].indexOf(name),
              access: 'read',
            });
          }
        }
        if (!value.includes('$')) out.push({ kind: 'value', value, offset: start });
      }
    }
    lineStart = lineEnd + 1;
  }
  return out;
}
