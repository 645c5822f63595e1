// The module's front door, copied to dist/wasm/index.mjs by the build: Emscripten's factory,
// and where its wasm file lies, so that each runtime can load the bytes its own way.
export { default as createCurlModule } from './libcurl.mjs';
export const wasmUrl = new URL('./libcurl.wasm', import.meta.url);
