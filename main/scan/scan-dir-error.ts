/** A folder the scanner cannot or may not read; its own module so callers can name it without loading the parsers. */
export class ScanDirError extends Error {
  override readonly name = 'ScanDirError';
}
