import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One config, three processes (electron-vite's split): main and preload run in Node/Electron, the renderer is a
// plain React app that also loads, unchanged, in a browser through `hexclave-companion serve`.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The project runtime runs in a worker thread: its own entry, loaded next to index.js.
      rollupOptions: {
        input: {
          index: resolve('main/electron/index.ts'),
          'runtime-worker': resolve('main/workspace/runtime-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot be ES modules.
      rollupOptions: {
        // `overlay` is the only preload of the wrapped app window (main/electron/app-window.ts).
        input: { index: resolve('preload/index.ts'), overlay: resolve('preload/overlay.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    base: './',
    build: {
      outDir: resolve('out/renderer'),
      // electron-vite leaves bundles unminified; the UI is also served to browsers, so keep it small.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [react()],
  },
});
