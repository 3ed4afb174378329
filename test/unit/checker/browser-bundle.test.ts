import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('rules engine in a browser', () => {
  it('bundles for the browser with no Node built-in (the in-page dev tool will load it)', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, '..', '..', '..', 'shared', 'checker', 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((path) => path.startsWith('node:') || /^(fs|path|http|crypto|zlib)$/.test(path)),
    ).toEqual([]);
    expect(inputs.some((path) => path.includes('jose'))).toBe(true);
    expect(result.outputFiles[0]!.text).toContain('checkExchange');
  });
});
