// Worker mode: `exposeCurl()` inside the Worker, `connectCurlWorker()` in the page.
export { exposeCurl } from './expose.js';
export { connectCurlWorker } from './connect.js';
export type { RemoteCurl, RemoteSession } from './connect.js';
// The transports a browser Worker uses, so that a worker script needs one import.
export { wispTransport } from '../net/wisp.js';
export { websockifyTransport } from '../net/websockify.js';
