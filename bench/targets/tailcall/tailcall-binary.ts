/**
 * Where the Tailcall executable is: the one in `@tailcallhq/core-linux-x64-gnu`, run as packaged
 * from node_modules (no copy, no download). package.json pins 1.0.0: it runs on this glibc (2.36),
 * where the newer npm builds need 2.38 or later, and ./tailcall-config.ts writes its configuration
 * language (the schema's `@server`/`@upstream`/`@link`), which later versions moved to JSON/YAML.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface TailcallBinary {
  path: string;
  version: string;
}

/** The version the config is written for; package.json pins it exactly. */
export const TAILCALL_VERSION = '1.0.0';

const PACKAGE_BIN = join('node_modules', '@tailcallhq', 'core-linux-x64-gnu', 'bin', 'tailcall');

export function tailcallBinary(cwd: string): TailcallBinary {
  const path = join(cwd, PACKAGE_BIN);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm install (@tailcallhq/core-linux-x64-gnu ${TAILCALL_VERSION} is a devDependency)`);
  const out = spawnSync(path, ['--version'], { encoding: 'utf8', env: { ...process.env, TAILCALL_TRACKER: 'false' } });
  if (out.status !== 0) {
    const why = (out.stderr || String(out.error ?? `exit status ${out.status}`)).trim().slice(0, 400);
    const glibc = /GLIBC_\d+\.\d+' not found/.test(why) ? ` (this build needs a newer glibc than this machine's; ${TAILCALL_VERSION} runs on glibc 2.36)` : '';
    throw new Error(`${path} --version failed${glibc}: ${why}`);
  }
  const version = /tailcall v?(\S+)/.exec(out.stdout)?.[1];
  if (version !== TAILCALL_VERSION) {
    throw new Error(`expected Tailcall ${TAILCALL_VERSION} in ${path} (bench/targets/tailcall is written in its configuration language), got "${out.stdout.trim()}": run npm install`);
  }
  return { path, version };
}
