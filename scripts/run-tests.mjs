#!/usr/bin/env node
// The test step of `make test`: checks the generated tables and the types, runs vitest, and
// ends with one plain line, "vitest: N passed, N failed", that CI reads.
//
//   node scripts/run-tests.mjs CURL_SRC [vitest args...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [curlSrc, ...vitestArgs] = process.argv.slice(2);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

if (run('node', ['scripts/generate-constants.mjs', curlSrc, '--check']) !== 0) process.exit(1);
if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);

const dir = mkdtempSync(join(tmpdir(), 'libcurl-wasm-vitest-'));
const report = join(dir, 'report.json');
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...vitestArgs,
]);

let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  if (json.numTotalTests === 0) failed += 1;
} catch {
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });
console.log(`vitest: ${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
