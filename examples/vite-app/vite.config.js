import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// In a project of your own, `npm install libcurl-wasm` and drop the alias: it points at this
// repository's package so that the example builds against the code beside it.
export default defineConfig({
  resolve: { alias: { 'libcurl-wasm': fileURLToPath(new URL('../..', import.meta.url)) } },
  build: { target: 'es2022' },
});
