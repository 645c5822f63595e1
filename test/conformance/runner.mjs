// Runs the conformance suite (suite.ts) on Deno or Bun, from a project that installed the
// package (test/support/consumer.ts makes one), so that 'libcurl-wasm' resolves as it does
// for a user. The plan, servers and runs, comes as JSON in the first argument. Prints
// "ok TRANSPORT :: CASE" or "not ok TRANSPORT :: CASE :: WHY" for each case, and exits
// non-zero when one failed. It ends on its own: a hang here means a connection was kept.
import * as lib from 'libcurl-wasm';
import { prepareRun } from './suite.ts';

const CASE_TIMEOUT_MS = 30_000;

function withTimeout(promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    const expire = () => reject(new Error(`no result after ${CASE_TIMEOUT_MS} ms`));
    timer = setTimeout(expire, CASE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error) {
  const cause = error?.cause ? ` (cause: ${error.cause.message ?? error.cause})` : '';
  return `${error?.message ?? error}${cause}`.replace(/\s+/g, ' ');
}

const args = globalThis.Deno?.args ?? process.argv.slice(2);
const plan = JSON.parse(args[0]);
let failed = 0;

for (const run of plan.runs) {
  const { transport, ctx, cases } = await prepareRun(lib, plan.fixture, run);
  for (const item of cases) {
    try {
      await withTimeout(item.run(ctx));
      console.log(`ok ${transport} :: ${item.name}`);
    } catch (error) {
      failed++;
      console.log(`not ok ${transport} :: ${item.name} :: ${describe(error)}`);
    }
  }
  ctx.curl.close();
}

console.log(`conformance: ${failed} failed`);
if (globalThis.Deno) globalThis.Deno.exitCode = failed ? 1 : 0;
else process.exitCode = failed ? 1 : 0;
