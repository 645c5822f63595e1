// A Node worker thread serving the library through comlink, as a browser Worker would.
import { parentPort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { exposeCurl } from '../../dist/worker/index.js';

exposeCurl({}, nodeEndpoint(parentPort));
