// deno run --allow-net=example.org --allow-read=node_modules/libcurl-wasm/dist/wasm easy.ts [URL]
import { loadCurl } from 'libcurl-wasm';

const url = Deno.args[0] ?? 'https://example.org/';
const curl = await loadCurl(); // direct TCP through Deno.connect

const easy = curl.easy();
let bytes = 0;
easy.setopt('URL', url);
easy.setopt('FOLLOWLOCATION', true);
easy.setopt('WRITEFUNCTION', (chunk: Uint8Array) => void (bytes += chunk.length));
await easy.perform(); // a CurlError if it fails
console.log(easy.getinfo('RESPONSE_CODE'), easy.getinfo('CONTENT_TYPE'), `${bytes} bytes`);

easy.close();
curl.close();
