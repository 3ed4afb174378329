/** One section of a Markdown page, cited by its heading path (`docs/cli.md › CLI › env`). */
export interface Passage {
  readonly source: string;
  readonly headings: readonly string[];
  /** Readable units of the section: paragraphs, list items, table rows flattened to `a · b · c`, code lines. */
  readonly lines: readonly string[];
}

/** Sections longer than this are split at paragraph breaks so one passage stays about one idea. */
const MAX_PASSAGE_CHARS = 1200;

function tableRow(line: string): string | null {
  if (/^\|?\s*:?-{3,}/.test(line)) return null;
  const cells = line
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim())
    .filter((cell) => cell !== '');
  return cells.length > 0 ? cells.join(' · ') : null;
}

/**
 * Readable units of a section body: a paragraph (soft-wrapped lines joined), a list item with its continuation
 * lines, a table row (`a · b · c`) or a code line. A blank string marks a paragraph break.
 */
function units(body: readonly string[]): string[] {
  const out: string[] = [];
  let open: string | null = null;
  const close = () => {
    if (open !== null) out.push(open);
    open = null;
  };
  for (const raw of body) {
    const line = raw.trim();
    if (line === '') {
      close();
      out.push('');
    } else if (line.startsWith('```')) {
      close();
      out.push(line);
    } else if (line.startsWith('|')) {
      close();
      const row = tableRow(line);
      if (row) out.push(row);
    } else if (/^([-*]|\d+\.)\s+|^>/.test(line)) {
      close();
      open = line.replace(/^([-*]|\d+\.)\s+|^>\s?/, '');
    } else {
      open = open === null ? line : `${open} ${line}`;
    }
  }
  close();
  return out;
}

function chunk(lines: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (line === '' && size >= MAX_PASSAGE_CHARS) {
      chunks.push(current);
      current = [];
      size = 0;
      continue;
    }
    current.push(line);
    size += line.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Split a Markdown page into passages by heading (#, ##, ###, …), ignoring `#` inside code fences. */
export function splitMarkdown(source: string, markdown: string): Passage[] {
  const passages: Passage[] = [];
  const headings: string[] = [];
  let body: string[] = [];
  let fence: string[] | null = null;
  const flush = () => {
    for (const part of chunk(units(body))) {
      const lines = part.filter((line) => line !== '');
      if (lines.length > 0) passages.push({ source, headings: [...headings], lines });
    }
    body = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      // A code block stays one unit, so an answer quotes a whole command or config snippet.
      if (fence === null) {
        fence = [line.trim().replace(/^~~~/, '```')];
      } else {
        body.push('', [...fence, '```'].join('\n'), '');
        fence = null;
      }
      continue;
    }
    if (fence !== null) {
      fence.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      headings.length = Math.min(headings.length, level - 1);
      while (headings.length < level - 1) headings.push('');
      headings.push(heading[2]!.replace(/`/g, ''));
      continue;
    }
    body.push(line);
  }
  flush();
  return passages.map((p) => ({ ...p, headings: p.headings.filter((h) => h !== '') }));
}
