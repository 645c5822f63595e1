// curl's WebSocket, in the page, through the Wisp proxy: text and binary echo, then a clean
// close with the server's code and reason.
import { loadCurl, wispTransport } from '/lib/libcurl-wasm.js';

const params = new URL(location.href).searchParams;

function next(socket, type) {
  return new Promise((resolve) => socket.addEventListener(type, resolve, { once: true }));
}

async function run() {
  const curl = await loadCurl({ transport: wispTransport({ url: params.get('proxy') }) });
  const socket = new curl.WebSocket(params.get('target'), ['echo']);
  socket.binaryType = 'arraybuffer';
  await next(socket, 'open');
  socket.send('hello from the page');
  const text = (await next(socket, 'message')).data;
  socket.send(new Uint8Array([0, 1, 2, 254, 255]));
  const binary = Array.from(new Uint8Array((await next(socket, 'message')).data));
  const closed = next(socket, 'close');
  socket.close(4000, 'page done');
  const close = await closed;
  return { protocol: socket.protocol, text, binary, code: close.code, reason: close.reason, wasClean: close.wasClean };
}

run().then(
  (result) => (window.result = result),
  (error) => (window.result = { error: `${error}\n${error?.stack ?? ''}` }),
);
