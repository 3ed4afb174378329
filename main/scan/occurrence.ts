import type { Category } from '../../shared/registry/index.js';

/**
 * One place a file names something that may be a registry identifier, as its parser saw it. What it is (and
 * whether it is anything) is decided afterwards by the registry's matchers, the same for every file type.
 */
export type OccurrenceKind =
  /** A string value: literal, template (holes as HOLE), concatenation, YAML scalar, shell word, attribute value. */
  | 'value'
  /** An environment variable name: `process.env.X`, a `.env` key, `ENV X=` in a Dockerfile, `$X` in a shell. */
  | 'env-name'
  /** An import / require specifier. */
  | 'module'
  /** A bare code name of the given categories: an imported SDK export, `window.X`, a JSX attribute name. */
  | 'code-name'
  /** The file's own name (`stack.config.ts`). */
  | 'file-name';

export type Access = 'read' | 'write' | 'delete';

export interface Occurrence {
  readonly kind: OccurrenceKind;
  readonly value: string;
  /** Offset of the value's first character in the file text. */
  readonly offset: number;
  readonly access?: Access;
  /** For `code-name`: the categories that name may belong to. */
  readonly categories?: readonly Category[];
  /** For `env-name`: read through stack-shared's env helpers (which apply the central STACK_ → HEXCLAVE_ transform). */
  readonly viaEnvHelper?: true;
  /** For `env-name` in a `.env` file: the key is assigned there (what `scan --fix` may add a twin for). */
  readonly assignment?: { readonly value: string; readonly lineEnd: number };
}

/** Offsets → 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  offsetOf(line: number, column: number): number {
    return (this.starts[line - 1] ?? 0) + column - 1;
  }
}
