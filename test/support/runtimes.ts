// Deno and Bun as the devDependencies install them, and a way to run a script to its end
// with a time limit, collecting what it prints.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './consumer.js';

export const DENO = join(ROOT, 'node_modules/.bin/deno');
export const BUN = join(ROOT, 'node_modules/.bin/bun');

/** What README tells Deno users to grant, besides --allow-net for the hosts they reach. */
export const DENO_READ = '--allow-read=node_modules/libcurl-wasm/dist/wasm';

export interface Exit {
  /** The exit status, or null when the time limit killed it. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runToEnd(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number },
): Promise<Exit> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
