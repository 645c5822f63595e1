// Worker mode in a real Worker: the page talks to curl through comlink; the response body
// streams across, and errors keep their class and code.
import { connectCurlWorker } from '/lib/worker.js';

const params = new URL(location.href).searchParams;

async function run() {
  const worker = new Worker(`/worker-entry.js?proxy=${encodeURIComponent(params.get('proxy'))}`, {
    type: 'module',
  });
  const curl = connectCurlWorker(worker);
  await curl.ready();
  const ca = await (await fetch('/test-ca.pem')).text();
  const response = await curl.fetch(params.get('target'), { curl: { ca } });
  const body = await response.text();
  let bytes = 0;
  const big = await curl.fetch(params.get('big'));
  for await (const chunk of big.body) bytes += chunk.length;
  const failure = await curl.fetch('http://127.0.0.1:1/').catch((error) => ({
    name: error.name,
    message: error.message,
    causeName: error.cause?.name,
    code: error.cause?.code,
  }));
  worker.terminate();
  return { status: response.status, body, bytes, failure };
}

run().then(
  (result) => (window.result = result),
  (error) => (window.result = { error: `${error}\n${error?.stack ?? ''}` }),
);
