import {
  type LiteralMatch,
  matchCodeName,
  matchEnvName,
  matchLiteral,
  matchModuleSpecifier,
} from '../../shared/registry/index.js';
import type { Occurrence } from './occurrence.js';

/** What registry identifiers one occurrence stands for: the one decision the scanner and the extractor share. */
export function matchOccurrence(occurrence: Occurrence): LiteralMatch[] {
  switch (occurrence.kind) {
    case 'value':
      return matchLiteral(occurrence.value);
    case 'env-name':
      return matchEnvName(occurrence.value);
    case 'module':
      return matchModuleSpecifier(occurrence.value);
    case 'code-name':
      return matchCodeName(occurrence.value, occurrence.categories ?? []);
    case 'file-name':
      return matchCodeName(occurrence.value, ['config-file']);
  }
}
