// Types for dist/wasm/index.mjs (wasm/entry.mjs). The module's own shape is declared in
// src/ffi/module.ts; here it is only a factory taking and giving an object.
export declare function createCurlModule(moduleArg: object): Promise<object>;
export declare const wasmUrl: URL;
