// bun fetch.ts [URL]
import { loadCurl } from 'libcurl-wasm';

const url = Bun.argv[2] ?? 'https://example.org/';
using curl = await loadCurl(); // direct TCP through Bun.connect; closed at the end of scope

const response = await curl.fetch(url, { headers: { Accept: 'text/html' } });
const body = await response.text();
console.log(response.status, response.headers.get('content-type'), `${body.length} chars`);
