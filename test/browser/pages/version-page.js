// Loads the library on the main thread (streaming compilation of the wasm next to it) and
// in its single-file variant, and reports what curl says of itself.
import { loadCurl } from '/lib/libcurl-wasm.js';
import { loadCurl as loadSingle } from '/lib/libcurl-wasm.single.js';

const noNetwork = {
  name: 'none',
  connect() {
    throw new Error('this page makes no connections');
  },
};

async function run() {
  const curl = await loadCurl({ transport: noNetwork });
  const single = await loadSingle({ transport: noNetwork });
  const failure = await curl.fetch('http://example.invalid/').catch((error) => ({
    message: error.message,
    code: error.cause?.code,
  }));
  return { version: curl.version(), single: single.version().version, failure };
}

run().then(
  (result) => (window.result = result),
  (error) => (window.result = { error: String(error && error.stack || error) }),
);
