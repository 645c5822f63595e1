// The examples run as written. README takes its code from examples/ (a block marked
// `<!-- example: PATH -->` is that file byte for byte, one marked `<!-- excerpt: PATH -->`
// appears in it verbatim), and each example runs on its runtime in a project that installed
// the packed package, against a server here, with the command its first line gives, and
// exits by itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConsumer, ROOT, type Consumer } from './support/consumer.js';
import { BUN, DENO, DENO_READ, runToEnd, type Exit } from './support/runtimes.js';
import { httpServer, type Running } from './support/servers.js';

let server: Running;
let consumer: Consumer;

beforeAll(async () => {
  server = await httpServer((_req: any, res: any) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('hello from the test server');
  });
  consumer = makeConsumer();
  consumer.copy('examples', 'examples');
});

afterAll(async () => {
  await server?.close();
  consumer?.remove();
});

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function markedBlocks(markdown: string): Array<{ kind: string; path: string; code: string }> {
  const re = /<!-- (example|excerpt): (\S+) -->\n```\w*\n([\s\S]*?)```/g;
  return [...markdown.matchAll(re)].map(([, kind, path, code]) => ({
    kind: kind!,
    path: path!,
    code: code!,
  }));
}

function run(command: string, args: string[]): Promise<Exit> {
  return runToEnd(command, args, { cwd: consumer.dir, timeoutMs: 30_000 });
}

function expectClean(exit: Exit): void {
  expect(exit.code, `${exit.stdout}\n${exit.stderr}`).toBe(0);
}

describe('README', () => {
  const docs = ['README.md', 'examples/plugin-host/README.md', 'docs/TRANSPORTS.md'];

  it.each(docs)('%s shows the examples as their files hold them', (doc) => {
    const blocks = markedBlocks(read(doc));
    expect(blocks.length).toBeGreaterThan(0);
    for (const { kind, path, code } of blocks) {
      if (kind === 'example') expect(code, path).toBe(read(path));
      else expect(read(path), path).toContain(code);
    }
  });

  it('shows an example for each runtime and the plugin host', () => {
    const paths = markedBlocks(read('README.md')).map((block) => block.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'examples/node/fetch.mjs',
        'examples/deno/easy.ts',
        'examples/bun/fetch.ts',
        'examples/plugin-host/host.mjs',
      ]),
    );
  });

  it('gives Deno the permissions the tests run it with', () => {
    expect(read('README.md')).toContain(DENO_READ);
    expect(read('examples/deno/easy.ts')).toContain(DENO_READ);
  });
});

describe('runtime examples', () => {
  const url = () => `${server.url}/`;
  const answer = /^200 text\/plain 26 (chars|bytes)\n$/;

  it('node examples/node/fetch.mjs', async () => {
    const exit = await run('node', ['examples/node/fetch.mjs', url()]);
    expectClean(exit);
    expect(exit.stdout).toMatch(answer);
  });

  it('deno check, then deno run with only --allow-net and --allow-read', async () => {
    expectClean(await run(DENO, ['check', 'examples/deno/easy.ts']));
    const args = ['run', '--no-prompt', '--allow-net=127.0.0.1', DENO_READ];
    const exit = await run(DENO, [...args, 'examples/deno/easy.ts', url()]);
    expectClean(exit);
    expect(exit.stdout).toMatch(answer);
  });

  it('bun examples/bun/fetch.ts', async () => {
    const exit = await run(BUN, ['examples/bun/fetch.ts', url()]);
    expectClean(exit);
    expect(exit.stdout).toMatch(answer);
  });
});

describe('the plugin host example', () => {
  const hosts: Array<[string, string, string[]]> = [
    ['node', 'node', []],
    ['deno', DENO, ['run', '--no-prompt', '--allow-net=127.0.0.1', DENO_READ]],
    ['bun', BUN, []],
  ];

  it.each(hosts)('runs on %s: the API answers, the rest is refused', async (_name, bin, args) => {
    const exit = await run(bin, [...args, 'examples/plugin-host/host.mjs']);
    expectClean(exit);
    const lines = exit.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/\/weather -> 200 \{"forecast":"sunny"\}$/);
    expect(lines[1]).toMatch(
      /\/secrets -> refused: CURLE_COULDNT_CONNECT \(allow-list: 127\.0\.0\.1:\d+ is not on/,
    );
    expect(lines[2]).toBe(
      'http://intranet.example/ -> refused: CURLE_COULDNT_CONNECT ' +
        '(allow-list: intranet.example:80 is not on the allow-list)',
    );
  });
});
