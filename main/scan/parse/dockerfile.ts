import { DockerfileParser } from 'dockerfile-ast';
import { LineIndex, type Occurrence } from '../occurrence.js';
import { shellOccurrences } from './shell.js';

/**
 * Dockerfiles through dockerfile-ast (the parser of the Docker language server): `ENV`/`ARG` names are variables
 * set, `$X` anywhere is a read, and the shell form of `RUN`/`CMD`/`ENTRYPOINT` goes through the shell parser.
 */
const SHELL_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

export function dockerfileOccurrences(text: string): Occurrence[] {
  const lines = new LineIndex(text);
  const at = (position: { line: number; character: number }) =>
    lines.offsetOf(position.line + 1, position.character + 1);
  const out: Occurrence[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    const properties =
      keyword === 'ENV'
        ? (instruction as unknown as { getProperties(): PropertyLike[] }).getProperties()
        : keyword === 'ARG'
          ? [(instruction as unknown as { getProperty(): PropertyLike | null }).getProperty()].filter(
              (p): p is PropertyLike => p !== null,
            )
          : [];
    for (const property of properties) {
      out.push({
        kind: 'env-name',
        value: property.getName(),
        offset: at(property.getNameRange().start),
        access: 'write',
      });
      const value = property.getValue();
      const range = property.getValueRange();
      if (value && range && !value.includes('$')) out.push({ kind: 'value', value, offset: at(range.start) });
    }
    const args = instruction.getArgumentsRange();
    const shellForm =
      SHELL_FORM.has(keyword) && args && !instruction.getArgumentsContent()?.trimStart().startsWith('[');
    if (shellForm) {
      const start = at(args.start);
      out.push(...shellOccurrences(text.slice(start, at(args.end)), start));
      continue;
    }
    for (const variable of instruction.getVariables()) {
      out.push({
        kind: 'env-name',
        value: variable.getName(),
        offset: at(variable.getNameRange().start),
        access: 'read',
      });
    }
    if (!SHELL_FORM.has(keyword)) continue;
    for (const arg of instruction.getArguments()) {
      const raw = arg.getValue().replace(/^"|"?,?$/g, '');
      if (/stack|hexclave/i.test(raw) && !raw.includes('$')) {
        out.push({
          kind: 'value',
          value: raw,
          offset: at(arg.getRange().start) + (arg.getValue().startsWith('"') ? 1 : 0),
        });
      }
    }
  }
  return out.filter((o) => /stack|hexclave/i.test(o.value));
}

interface PropertyLike {
  getName(): string;
  getNameRange(): { start: { line: number; character: number } };
  getValue(): string | null;
  getValueRange(): { start: { line: number; character: number } } | null;
}
