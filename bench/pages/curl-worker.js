// Worker mode: the library loaded in a Worker with the Wisp transport, served to the page
// through exposeCurl(). The proxy's URL comes in the Worker's query.
import { exposeCurl } from '/lib/worker.js';
import { wispTransport } from '/lib/libcurl-wasm.js';

const proxy = new URL(self.location.href).searchParams.get('proxy');
exposeCurl({ transport: wispTransport({ url: proxy }) });
