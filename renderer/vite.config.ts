import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The companion UI: one React app, loaded unchanged by the Electron window (file://, hence relative URLs) and by
// browsers through `hexclave-companion serve`. Built by scripts/build.mjs into out/renderer.
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../out/renderer'),
    emptyOutDir: true,
    minify: true,
    reportCompressedSize: false,
  },
});
