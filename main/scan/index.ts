/** The migration scanner: what in a project (and its deploy) names Stack or Hexclave identifiers. */
export { applyFixes, type FilePlan, planFixes } from './fix.js';
export { toSarif } from './report/sarif.js';
export { renderText } from './report/text.js';
export { MAX_FILE_BYTES, projectRoot, ScanDirError, type ScanOptions, scanProject } from './scan.js';
export {
  extractSdkIdentifiers,
  NOT_IDENTIFIERS,
  type SdkExtraction,
  SdkPackageError,
} from './sdk-extract.js';
