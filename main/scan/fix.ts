import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { redactValue } from '../../shared/redact.js';
import { fillTemplate, matchEnvName } from '../../shared/registry/index.js';
import { fileKind } from './file-kinds.js';
import { envFileOccurrences } from './parse/env-file.js';
import { projectRoot } from './scan.js';
import { walkProject } from './walk.js';

/**
 * `scan --fix`: only rewrites that cannot break anything. Today that is one kind: in a `.env` file, add the
 * HEXCLAVE_ twin of each STACK_ variable, with the same value, on the line after it. Every SDK that reads the
 * twin reads it first and both hold the same value; older SDKs never read it. A twin already set in the file is
 * left alone (its value may differ on purpose).
 */

export interface FilePlan {
  readonly file: string;
  readonly added: ReadonlyArray<{ readonly after: string; readonly name: string }>;
  /** Unified diff with secret values redacted. */
  readonly diff: string;
  /** The new content (secrets intact), written only by applyFixes. */
  readonly content: string;
}

export function planFixes(dir: string): FilePlan[] {
  const root = projectRoot(dir);
  const plans: FilePlan[] = [];
  for (const file of walkProject(root)) {
    if (fileKind(file) !== 'env') continue;
    const text = readFileSync(resolve(root, file), 'utf8');
    const occurrences = envFileOccurrences(text).filter((o) => o.kind === 'env-name' && o.assignment);
    const assigned = new Set(occurrences.map((o) => o.value));
    const inserts = new Map<number, Array<{ after: string; name: string; line: string; secret: boolean }>>();
    for (const o of occurrences) {
      const [match] = matchEnvName(o.value);
      if (match?.family !== 'stack' || match.entry.new === null) continue;
      let twin: string;
      try {
        twin = fillTemplate(match.entry.new, match.params);
      } catch {
        continue;
      }
      if (assigned.has(twin)) continue;
      assigned.add(twin);
      const lineStart = text.lastIndexOf('\n', o.offset - 1) + 1;
      const original = text.slice(lineStart, o.assignment!.lineEnd).replace(/\r$/, '');
      const keyAt = o.offset - lineStart;
      // Same line shape (indent, `export`, quoting, comment), only the name changes.
      const line = `${original.slice(0, keyAt)}${twin}${original.slice(keyAt + o.value.length)}`;
      const list = inserts.get(o.assignment!.lineEnd) ?? [];
      list.push({ after: o.value, name: twin, line, secret: match.entry.secret === true });
      inserts.set(o.assignment!.lineEnd, list);
    }
    if (inserts.size === 0) continue;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    let content = '';
    let last = 0;
    const redactLine = (line: string, secret: boolean) =>
      secret
        ? line.replace(/=(.*)$/, (_, v: string) => `=${redactValue(v.trim().replace(/^["']|["']$/g, ''))}`)
        : line;
    const secretNames = new Set(
      [...inserts.values()]
        .flat()
        .filter((i) => i.secret)
        .flatMap((i) => [i.after, i.name]),
    );
    const shownText = text
      .split('\n')
      .map((l) => {
        const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(l)?.[1];
        return key && secretNames.has(key) ? redactLine(l, true) : l;
      })
      .join('\n');
    for (const [lineEnd, list] of [...inserts.entries()].sort((a, b) => a[0] - b[0])) {
      // lineEnd is where the variable's line ends (before its newline, or at the end of the file).
      const cut = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      content += `${text.slice(last, cut)}${list.map((i) => `${eol}${i.line}`).join('')}`;
      last = cut;
    }
    content += text.slice(last);
    const shown = content
      .split('\n')
      .map((l) => {
        const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(l)?.[1];
        return key && secretNames.has(key) ? redactLine(l, true) : l;
      })
      .join('\n');
    const added = [...inserts.values()].flat().map(({ after, name }) => ({ after, name }));
    plans.push({
      file,
      added,
      content,
      diff: createTwoFilesPatch(`a/${file}`, `b/${file}`, shownText, shown, '', '', { context: 1 }),
    });
  }
  return plans;
}

/** Write each planned file atomically (temp file + rename), keeping nothing half-written. */
export function applyFixes(dir: string, plans: readonly FilePlan[]): void {
  const root = projectRoot(dir);
  for (const plan of plans) {
    const path = resolve(root, plan.file);
    const temp = resolve(path, '..', `.${basename(path)}.${process.pid}.hexclave-fix`);
    // The rewritten file keeps the original's permissions (a .env holding secrets is often 0600).
    writeFileSync(temp, plan.content, { mode: statSync(path).mode & 0o777 });
    try {
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
}
