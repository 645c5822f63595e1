// node fetch.mjs [URL]
import { loadCurl } from 'libcurl-wasm';

const url = process.argv[2] ?? 'https://example.org/';
const curl = await loadCurl(); // direct TCP through node:net

const response = await curl.fetch(url, { curl: { timeout: 10_000 } });
const body = await response.text();
console.log(response.status, response.headers.get('content-type'), `${body.length} chars`);

curl.close(); // a pooled connection would keep Node running until the server drops it
