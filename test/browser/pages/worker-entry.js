// The Worker: loads curl with the Wisp transport and serves it to the page.
import { exposeCurl } from '/lib/worker.js';
import { wispTransport } from '/lib/libcurl-wasm.js';

const proxy = new URL(self.location.href).searchParams.get('proxy');
exposeCurl({ transport: wispTransport({ url: proxy }) });
