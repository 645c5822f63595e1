// One transfer with the Easy API, collecting what a test wants to look at.
import type { Curl, Easy, OptionName } from '../../src/index.js';

export interface Result {
  status: number;
  body: Buffer;
  headers: string[];
  httpVersion: number;
  easy: Easy;
}

export type Options = Partial<Record<OptionName, unknown>>;

/** Sets `options` on a fresh easy (or the one given) and collects body and headers. */
export function prepare(curl: Curl, url: string, options: Options = {}, given?: Easy) {
  const easy = given ?? curl.easy();
  const chunks: Uint8Array[] = [];
  const headers: string[] = [];
  easy.setopt('URL', url);
  easy.setopt('WRITEFUNCTION', (chunk: Uint8Array) => void chunks.push(chunk));
  easy.setopt('HEADERFUNCTION', (line: Uint8Array) => {
    headers.push(Buffer.from(line).toString('latin1').trimEnd());
  });
  for (const [name, value] of Object.entries(options))
    easy.setopt(name as OptionName, value as never);
  const result = (): Result => ({
    status: easy.getinfo('RESPONSE_CODE'),
    body: Buffer.concat(chunks),
    headers,
    httpVersion: easy.getinfo('HTTP_VERSION'),
    easy,
  });
  return { easy, result };
}

export async function transfer(curl: Curl, url: string, options: Options = {}): Promise<Result> {
  const { easy, result } = prepare(curl, url, options);
  await easy.perform();
  return result();
}
