// The conformance suite (test/conformance/suite.ts) on every runtime: here on Node, and on
// Deno and Bun through runner.mjs in a project that installed the packed package. Each
// runtime runs it over its default transport and again behind an allow-list; Deno runs with
// only the permissions README gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import type { Plan, Run } from './conformance/fixture.ts';
import { cases, policyCase, prepareRun, type Case, type Context } from './conformance/suite.ts';
import { startConformanceServers, type ConformanceServers } from './support/conformance-servers.js';
import { makeConsumer, type Consumer } from './support/consumer.js';
import { BUN, DENO, DENO_READ, runToEnd, type Exit } from './support/runtimes.js';

let servers: ConformanceServers;
let consumer: Consumer;

beforeAll(async () => {
  servers = await startConformanceServers();
  consumer = makeConsumer();
  consumer.copy('test/conformance', 'conformance');
});

afterAll(async () => {
  await servers?.close();
  consumer?.remove();
});

/** Every server of the fixture is allowed; the refusals are other ports and other names. */
function allowListRun(): Run {
  const { http, http6, https, forbidden, refusedPort } = servers;
  return {
    allowList: [
      `127.0.0.1:${http.port}`,
      `[::1]:${http6.port}`,
      `localhost:${https.port}`,
      `127.0.0.1:${refusedPort}`,
      'no-such-host.invalid:80',
    ],
    blocked: [
      `http://127.0.0.1:${forbidden.port}/`, // a live server that is not on the list
      `http://api.internal:${http.port}/`, // a granted port, under a name not granted
      `http://[::1]:${http.port}/`, // a granted port, at another address
      'http://elsewhere.example:8080/',
    ],
  };
}

const casesOf = (refuses: boolean): Case[] => (refuses ? [...cases, policyCase] : cases);

// --- Node, in this process -----------------------------------------------------------------

const nodeRuns: Array<[string, () => Run]> = [
  ['tcp', () => ({ blocked: [] })],
  ['allow-list(tcp)', allowListRun],
];

for (const [transport, makeRun] of nodeRuns) {
  describe(`node, ${transport}`, () => {
    let ctx: Context;
    const run = { refuses: transport.startsWith('allow-list') };

    beforeAll(async () => {
      const prepared = await prepareRun(lib, servers.fixture, makeRun());
      expect(prepared.transport).toBe(transport);
      ctx = prepared.ctx;
    });

    afterAll(() => ctx?.curl.close());

    for (const item of casesOf(run.refuses)) it(item.name, () => item.run(ctx));
  });
}

// --- Deno and Bun, as child processes -------------------------------------------------------

// Deno gets the servers' addresses (curl resolves `localhost` itself, so that name needs
// nothing) and the folder of the wasm. The name the suite fails to resolve never reaches the
// runtime: the suite's transport answers ENOTFOUND for it without a DNS query.
const DENO_NET = '--allow-net=127.0.0.1,[::1]';

interface Outcome {
  exit: Exit;
  /** 'ok', or why not, by 'transport :: case'. */
  results: Map<string, string>;
}

function parse(stdout: string): Map<string, string> {
  const results = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^(ok|not ok) (.+?) :: (.+?)(?: :: (.*))?$/.exec(line);
    if (match) results.set(`${match[2]} :: ${match[3]}`, match[1] === 'ok' ? 'ok' : match[4]!);
  }
  return results;
}

async function runConformance(command: string, args: string[], plan: Plan): Promise<Outcome> {
  const exit = await runToEnd(command, [...args, 'conformance/runner.mjs', JSON.stringify(plan)], {
    cwd: consumer.dir,
    timeoutMs: 120_000,
  });
  return { exit, results: parse(exit.stdout) };
}

const runtimes = [
  {
    runtime: 'deno',
    transport: 'deno-tcp',
    start: () =>
      runConformance(DENO, ['run', '--no-prompt', DENO_NET, DENO_READ], {
        fixture: servers.fixture,
        // 127.0.0.2 is outside --allow-net: Deno refuses it before any packet is sent.
        runs: [{ blocked: ['http://127.0.0.2:9/'] }, allowListRun()],
      }),
    refusesByDefault: true,
  },
  {
    runtime: 'bun',
    transport: 'bun-tcp',
    start: () =>
      runConformance(BUN, ['run'], {
        fixture: servers.fixture,
        runs: [{ blocked: [] }, allowListRun()],
      }),
    refusesByDefault: false,
  },
];

for (const { runtime, transport, start, refusesByDefault } of runtimes) {
  describe(runtime, () => {
    let outcome: Outcome;

    beforeAll(async () => {
      outcome = await start();
    }, 150_000);

    it('runs the suite and exits by itself with status 0', () => {
      const { exit } = outcome;
      expect(exit.code, `${exit.stdout}\n${exit.stderr}`).toBe(0);
    });

    const passes: Array<[string, boolean]> = [
      [transport, refusesByDefault],
      [`allow-list(${transport})`, true],
    ];
    for (const [name, refuses] of passes) {
      for (const item of casesOf(refuses)) {
        it(`${name}: ${item.name}`, () => {
          const result = outcome.results.get(`${name} :: ${item.name}`);
          expect(result ?? `no result; stderr: ${outcome.exit.stderr}`).toBe('ok');
        });
      }
    }
  });
}
