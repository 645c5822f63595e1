// A page built with Vite that fetches through libcurl-wasm and a Wisp proxy. The proxy's URL
// comes from ?proxy=... (default: the one `npx libcurl-wasm proxy` starts), and ?url= fetches
// at once.
import { loadCurl, wispTransport } from 'libcurl-wasm';

const params = new URL(location.href).searchParams;
const proxy = params.get('proxy') ?? 'ws://127.0.0.1:8787/';
const out = document.querySelector('#out');
const curlReady = loadCurl({ transport: wispTransport({ url: proxy }) });

async function show(url) {
  out.textContent = `fetching ${url}...`;
  try {
    const curl = await curlReady;
    const ca = params.get('ca') ? await (await fetch(params.get('ca'))).text() : undefined;
    const response = await curl.fetch(url, { curl: ca ? { addCa: ca } : {} });
    const body = await response.text();
    out.textContent = `${response.status} ${response.statusText}\n\n${body.slice(0, 2000)}`;
    window.result = { status: response.status, body };
  } catch (error) {
    out.textContent = `${error.message}: ${error.cause?.code ?? ''} ${error.cause?.message ?? ''}`;
    window.result = { error: String(error.cause ?? error) };
  }
}

document.querySelector('#form').addEventListener('submit', (event) => {
  event.preventDefault();
  show(document.querySelector('#url').value);
});
if (params.get('url')) show(params.get('url'));
