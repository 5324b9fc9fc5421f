/**
 * The bench measures Interlink's production build, so the build must match the source: on a
 * fresh clone there is none, and after an edit an old one would be measured. Builds with
 * `npm run build` when `dist/src/index.js` is missing or older than anything under src/ or schema/.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const INTERLINK_BUILD = 'dist/src/index.js';

export function ensureBuild(cwd: string, log: (line: string) => void): void {
  const built = mtimeMs(join(cwd, INTERLINK_BUILD));
  const source = Math.max(newest(join(cwd, 'src')), newest(join(cwd, 'schema')));
  if (built !== undefined && built >= source) return;
  log(built === undefined ? `${INTERLINK_BUILD} is missing: npm run build` : `the source is newer than ${INTERLINK_BUILD}: npm run build`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '-s', 'build'], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status ?? result.signal}); the bench measures the production build`);
}

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  let latest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : (mtimeMs(path) ?? 0));
  }
  return latest;
}
