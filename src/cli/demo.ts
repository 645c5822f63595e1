// `libcurl-wasm demo [URL]`: one transfer through the wasm libcurl, driven by the multi
// interface in curl's classic loop, with what curl learned about it. Without a URL it starts
// a local HTTPS server speaking HTTP/2, with a CA of its own, and fetches from that.
import { CURL_HTTP_VERSION, CURLM, loadCurl, type Curl, type Easy } from '../index.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

const HTTP_VERSIONS: Record<number, string> = {
  [CURL_HTTP_VERSION['1_0']]: 'HTTP/1.0',
  [CURL_HTTP_VERSION['1_1']]: 'HTTP/1.1',
  [CURL_HTTP_VERSION['2_0']]: 'HTTP/2',
  30: 'HTTP/3',
};

interface Observed {
  headers: string[];
  bodyBytes: number;
  preview: Buffer[];
  tls: string | null;
}

function observe(easy: Easy): Observed {
  const seen: Observed = { headers: [], bodyBytes: 0, preview: [], tls: null };
  easy.setopt(
    'HEADERFUNCTION',
    (line) => void seen.headers.push(Buffer.from(line).toString('latin1').trimEnd()),
  );
  easy.setopt('WRITEFUNCTION', (chunk) => {
    seen.bodyBytes += chunk.length;
    if (seen.bodyBytes - chunk.length < 512) seen.preview.push(Buffer.from(chunk));
  });
  easy.setopt('VERBOSE', true);
  easy.setopt('DEBUGFUNCTION', (type, data) => {
    const text = Buffer.from(data).toString('latin1');
    const handshake = /mbedTLS: (\S+) Handshake complete(?:, cipher is (\S+))?/.exec(text);
    if (type === 0 && handshake)
      seen.tls = handshake[2] ? `${handshake[1]} (${handshake[2]})` : handshake[1]!;
  });
  return seen;
}

/** curl's classic multi loop: perform, drain CALL_MULTI_PERFORM, read messages, wait. */
async function runMulti(curl: Curl, easy: Easy): Promise<void> {
  const multi = curl.multi();
  multi.add(easy);
  try {
    for (;;) {
      let step;
      do step = multi.perform();
      while (step.code === CURLM.CALL_MULTI_PERFORM);
      for (const done of multi.infoRead()) if (done.error) throw done.error;
      if (step.running === 0) return;
      const timeout = multi.timeout();
      await curl.select(multi.fdset(), timeout < 0 ? 100 : timeout);
    }
  } finally {
    multi.remove(easy);
    multi.close();
  }
}

function report(easy: Easy, seen: Observed, url: string): string {
  const ms = (
    name:
      'NAMELOOKUP_TIME' | 'CONNECT_TIME' | 'APPCONNECT_TIME' | 'STARTTRANSFER_TIME' | 'TOTAL_TIME',
  ) => `${(easy.getinfo(name) * 1000).toFixed(1)} ms`;
  const lines = [
    `URL:        ${url}`,
    `status:     ${easy.getinfo('RESPONSE_CODE')}`,
    `protocol:   ${HTTP_VERSIONS[easy.getinfo('HTTP_VERSION')] ?? 'unknown'}`,
    `TLS:        ${seen.tls ?? 'none'}`,
    `body:       ${seen.bodyBytes} bytes`,
    `timing:     connect ${ms('CONNECT_TIME')}, TLS ${ms('APPCONNECT_TIME')}, ` +
      `first byte ${ms('STARTTRANSFER_TIME')}, total ${ms('TOTAL_TIME')}`,
    'headers:',
    ...seen.headers.filter((h) => h !== '').map((h) => `  ${h}`),
  ];
  const preview = Buffer.concat(seen.preview).subarray(0, 200).toString('utf8');
  if (preview)
    lines.push(
      'body starts:',
      ...preview
        .split('\n')
        .slice(0, 6)
        .map((l) => `  ${l}`),
    );
  return lines.join('\n');
}

export async function demo(url?: string): Promise<void> {
  let server: DemoServer | undefined;
  const curl = await loadCurl();
  const easy = curl.easy();
  try {
    if (!url) {
      server = await startDemoServer();
      url = server.url;
      easy.setopt('CAINFO_BLOB', server.caPem);
      console.log(`Started a local HTTPS server with its own CA at ${url}`);
    }
    easy.setopt('URL', url);
    easy.setopt('FOLLOWLOCATION', true);
    easy.setopt('ACCEPT_ENCODING', '');
    const seen = observe(easy);
    const v = curl.version();
    console.log(`libcurl ${v.version} in wasm, ${v.ssl}, nghttp2 ${v.nghttp2}\n`);
    await runMulti(curl, easy);
    console.log(report(easy, seen, url));
  } finally {
    easy.close();
    await server?.close();
  }
}
