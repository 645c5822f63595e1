// A plugin host. It runs two local services: an API its plugin may use, and an admin
// service the plugin must not reach. The plugin gets a curl whose transport reaches only the
// API's host:port; whatever URL, proxy or curl option the plugin tries, nothing else opens.
//
//   node host.mjs
import { createServer } from 'node:http';
import { allowListTransport, defaultTransport, loadCurl } from 'libcurl-wasm';
import { run } from './plugin.mjs';

async function serve(body) {
  const server = createServer((_req, res) => res.end(body));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** A curl for a plugin: the runtime's direct TCP, limited to `allowed` host:port pairs. */
async function curlFor(allowed) {
  return loadCurl({ transport: allowListTransport(await defaultTransport(), allowed) });
}

const api = await serve('{"forecast":"sunny"}');
const admin = await serve('the keys to everything');
const curl = await curlFor([new URL(api.url).host]);

const outcomes = await run(curl, [
  `${api.url}/weather`,
  `${admin.url}/secrets`,
  'http://intranet.example/',
]);
for (const { url, status, body, error } of outcomes) {
  if (error) console.log(`${url} -> refused: ${error.code} (${error.cause?.message})`);
  else console.log(`${url} -> ${status} ${body}`);
}

curl.close();
api.server.close();
admin.server.close();
