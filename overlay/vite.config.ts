import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The in-page dev tool as ONE self-contained classic script (IIFE): a <script src> from any origin, no imports,
// no chunks. `npm run build` and serve mode (main/overlay-host/build.ts) produce out/overlay/overlay.js.
export default defineConfig({
  root: resolve(import.meta.dirname),
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, '../out/overlay'),
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: resolve(import.meta.dirname, 'index.ts'),
      formats: ['iife'],
      name: 'HexclaveCompanionOverlay',
      fileName: () => 'overlay.js',
    },
  },
});
