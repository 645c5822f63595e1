// The native curl command (Debian's package): the yardstick. Each scenario is one curl run;
// times come from curl's own --write-out variables.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MB, peerAnswer, targetsFromEnv, type PeerRuns } from '../scenarios.js';

const targets = targetsFromEnv();
const CURL = '/usr/bin/curl';

function curl(args: string[]): string {
  return execFileSync(CURL, ['-s', '--cacert', targets.ca, ...args], {
    maxBuffer: 64 * MB,
  }).toString();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `count` transfers of `url` in one curl invocation; returns wall seconds. */
function many(url: string, count: number, extra: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-curl-'));
  const config = join(dir, 'urls');
  writeFileSync(
    config,
    Array.from({ length: count }, () => `url = "${url}"\noutput = "/dev/null"\n`).join(''),
  );
  const start = performance.now();
  curl(['-K', config, ...extra]);
  rmSync(dir, { recursive: true, force: true });
  return (performance.now() - start) / 1000;
}

const speed = (url: string, extra: string[] = []) =>
  Number(curl(['-o', '/dev/null', '-w', '%{speed_download}', ...extra, url])) / MB;

const run: PeerRuns = {
  'download-plain': () => speed(`${targets.plain}/100M`),
  'download-tls-aes': () => speed(`${targets.tlsAes}/100M`),
  'download-tls-chacha': () => speed(`${targets.tlsChacha}/100M`),
  upload: () => {
    const file = join(targets.files, '100M');
    return (
      Number(curl(['-T', file, '-o', '/dev/null', '-w', '%{speed_upload}', targets.upload])) / MB
    );
  },
  'keepalive-latency': () => {
    const urls = Array.from({ length: 201 }, () => `${targets.plain}/small`);
    const times = curl(['-w', '%{time_total}\n', ...urls.flatMap((u) => ['-o', '/dev/null', u])])
      .trim()
      .split('\n')
      .slice(1)
      .map((t) => Number(t) * 1000);
    return median(times);
  },
  'rps-h1-c1': () => 1000 / many(`${targets.plain}/small`, 1000, []),
  'rps-h1-c50': () =>
    1000 / many(`${targets.plain}/small`, 1000, ['--parallel', '--parallel-max', '50']),
  'rps-h2-c1': () => 1000 / many(`${targets.tlsChacha}/small`, 1000, ['--http2']),
  'rps-h2-c50': () =>
    1000 /
    many(`${targets.tlsChacha}/small`, 1000, ['--http2', '--parallel', '--parallel-max', '50']),
  'tls-new-connection': () => {
    const urls = Array.from({ length: 20 }, () => `${targets.tlsChacha}/small`);
    const times = curl([
      '-H',
      'Connection: close',
      '--http1.1',
      '-w',
      '%{time_total}\n',
      ...urls.flatMap((u) => ['-o', '/dev/null', u]),
    ])
      .trim()
      .split('\n')
      .map((t) => Number(t) * 1000);
    return median(times);
  },
  'h2-50-cold': () =>
    many(`${targets.tlsChacha}/small`, 50, ['--http2', '--parallel', '--parallel-max', '50']) *
    1000,
};

console.log(await peerAnswer(run, process.argv[2]));
