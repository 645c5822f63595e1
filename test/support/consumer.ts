// A project that uses the package as its users do: `npm pack` of this checkout (so exactly
// the files package.json ships) unpacked into node_modules/libcurl-wasm of a temp folder.
// Deno, Bun and the README examples run there. The pack takes dist/ as the build left it,
// so a dist/ older than src/ is refused rather than tested.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Consumer {
  dir: string;
  /** Copies files of this repository (paths relative to it) into the project. */
  copy(from: string, to: string): void;
  remove(): void;
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function checkBuilt(): void {
  const entry = join(ROOT, 'dist/index.js');
  if (!existsSync(entry) || !existsSync(join(ROOT, 'dist/wasm/libcurl.wasm'))) {
    throw new Error('dist/ is not built: run `make build` (or make wasm and tsc) first');
  }
  if (statSync(entry).mtimeMs < newest(join(ROOT, 'src'))) {
    throw new Error('dist/ is older than src/: run `npx tsc -p tsconfig.build.json` first');
  }
}

export function makeConsumer(): Consumer {
  checkBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'libcurl-wasm-consumer-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
  const target = join(dir, 'node_modules/libcurl-wasm');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  rmSync(tarball);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  return {
    dir,
    copy: (from, to) => cpSync(join(ROOT, from), join(dir, to), { recursive: true }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
