import { parse } from 'parse5';
import type { Occurrence } from '../occurrence.js';
import { codeOccurrences } from './code.js';

/**
 * HTML through parse5 (the WHATWG parser jsdom uses): attribute names and values are occurrences, inline
 * scripts go through the code parser, and text and comments are prose, never findings.
 */
interface Parse5Node {
  nodeName: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Parse5Node[];
  content?: Parse5Node;
  sourceCodeLocation?: {
    startOffset: number;
    endOffset: number;
    attrs?: Record<string, { startOffset: number; endOffset: number }>;
    startTag?: { endOffset: number };
    endTag?: { startOffset: number };
  } | null;
}

const SCRIPT_TYPES = /^(|module|text\/javascript|application\/javascript)$/i;

export function htmlOccurrences(text: string): Occurrence[] {
  const out: Occurrence[] = [];
  const visit = (node: Parse5Node) => {
    const location = node.sourceCodeLocation;
    for (const attr of node.attrs ?? []) {
      const at = location?.attrs?.[attr.name];
      if (!at) continue;
      if (/stack|hexclave/i.test(attr.name)) {
        out.push({
          kind: 'code-name',
          value: attr.name,
          offset: at.startOffset,
          categories: ['dom-attribute'],
        });
      }
      if (/stack|hexclave/i.test(attr.value)) {
        const raw = text.slice(at.startOffset, at.endOffset);
        const equals = raw.indexOf('=');
        const quote = /["']/.test(raw[equals + 1] ?? '') ? 1 : 0;
        out.push({ kind: 'value', value: attr.value, offset: at.startOffset + equals + 1 + quote });
      }
    }
    if (node.nodeName === 'script' && location?.startTag && location.endTag) {
      const type = node.attrs?.find((a) => a.name === 'type')?.value ?? '';
      if (SCRIPT_TYPES.test(type)) {
        const start = location.startTag.endOffset;
        const body = text.slice(start, location.endTag.startOffset);
        for (const o of codeOccurrences('inline.js', body)) out.push({ ...o, offset: o.offset + start });
      }
    }
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content) visit(node.content);
  };
  visit(parse(text, { sourceCodeLocationInfo: true }) as unknown as Parse5Node);
  return out;
}
