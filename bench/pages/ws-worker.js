// The WebSocket echo inside a Worker. Worker mode's page API (connectCurlWorker) carries
// fetch() and sessions, not WebSockets, so this Worker uses curl.WebSocket itself and posts
// the rate (or the error) back.
import { loadCurl, wispTransport } from '/lib/libcurl-wasm.js';
import { echoRate, opened } from './echo.js';

self.onmessage = async ({ data }) => {
  try {
    const curl = await loadCurl({ transport: wispTransport({ url: data.proxy }) });
    const socket = new curl.WebSocket(data.url);
    await opened(socket);
    const rate = await echoRate(socket, data.pipelined);
    socket.close();
    self.postMessage({ rate });
  } catch (error) {
    self.postMessage({ error: `${error}\n${error?.cause ?? ''}` });
  }
};
