// Worker mode: `exposeCurl()` inside the Worker, `connectCurlWorker()` in the page.
export { exposeCurl } from './expose.js';
export { connectCurlWorker } from './connect.js';
export type { RemoteCurl, RemoteSession } from './connect.js';
