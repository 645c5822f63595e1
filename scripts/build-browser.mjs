#!/usr/bin/env node
// Bundled builds of the library:
//   dist/browser/libcurl-wasm.js + worker.js  ESM, the wasm beside them, compiled by streaming
//   dist/browser/libcurl-wasm.single.js       one file with the wasm inside (no second request)
//   dist/node/index.js + worker.js            what the package's entry points load on Node,
//                                             Deno and Bun: one file loads several times
//                                             faster than the module graph tsc leaves
// Bundlers (Vite and others) can also take the package itself: see docs/BROWSER.md.
import { build } from 'vite';

const common = {
  configFile: false,
  // Asset URLs relative to the module, wherever it is served from.
  base: './',
  logLevel: 'warn',
  build: {
    target: 'es2022',
    minify: true,
    sourcemap: true,
    modulePreload: false,
    rollupOptions: {
      preserveEntrySignatures: 'exports-only',
      output: { format: 'es', entryFileNames: '[name].js', assetFileNames: '[name][extname]' },
      // The Node transport is never loaded in a browser; it stays out of the bundle.
      external: [/^node:/],
    },
  },
};

await build({
  ...common,
  build: {
    ...common.build,
    outDir: 'dist/browser',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    rollupOptions: {
      ...common.build.rollupOptions,
      input: { 'libcurl-wasm': 'src/browser.ts', worker: 'src/worker/index.ts' },
    },
  },
});

await build({
  ...common,
  build: {
    ...common.build,
    outDir: 'dist/browser',
    emptyOutDir: false,
    assetsInlineLimit: () => true,
    rollupOptions: {
      ...common.build.rollupOptions,
      input: { 'libcurl-wasm.single': 'src/browser.ts' },
    },
  },
});

await build({
  ...common,
  build: {
    ...common.build,
    outDir: 'dist/node',
    emptyOutDir: true,
    ssr: true,
    rollupOptions: {
      ...common.build.rollupOptions,
      input: { index: 'src/index.ts', worker: 'src/worker/index.ts', cli: 'src/cli/main.ts' },
      // The wasm stays where the package's import map points (dist/wasm/).
      external: [/^node:/, '#wasm', 'comlink'],
    },
  },
});
