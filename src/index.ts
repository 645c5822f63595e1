// libcurl-wasm: libcurl compiled to WebAssembly, with curl's own API in TypeScript.
export * from './browser.js';
export { nodeTcpTransport } from './net/node-tcp.js';
