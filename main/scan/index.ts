/** The migration scanner: what in a project (and its deploy) names Stack or Hexclave identifiers. */
export {
  extractSdkIdentifiers,
  NOT_IDENTIFIERS,
  type SdkExtraction,
  SdkPackageError,
} from './sdk-extract.js';
