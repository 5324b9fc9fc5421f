/**
 * Interlink's production build at any git revision, for A/B runs: the revision's tree is
 * exported (`git archive`, no worktree bookkeeping) into a temporary folder named by its commit,
 * given this checkout's node_modules and GraphiQL assets (neither is on the measured path), and
 * compiled with `tsconfig.build.json`. A build is reused while its folder exists.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuild, INTERLINK_BUILD } from './ensure-build.js';

export interface RevisionBuild {
  /** What was asked for: a revision, or `working` for this checkout as it is. */
  label: string;
  /** The commit, or `working`. */
  commit: string;
  /** Folder to run from: `node <root>/dist/src/index.js` with this as cwd. */
  root: string;
}

export function buildRevision(revision: string, cwd: string, log: (line: string) => void): RevisionBuild {
  if (revision === 'working') {
    ensureBuild(cwd, log);
    return { label: 'working', commit: 'working', root: cwd };
  }
  const commit = execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], { cwd, encoding: 'utf8' }).trim();
  const root = join(tmpdir(), `interlink-ab-${commit.slice(0, 12)}`);
  if (existsSync(join(root, INTERLINK_BUILD))) return { label: revision, commit, root };
  log(`building ${revision} (${commit.slice(0, 12)}) in ${root}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const archive = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "${root}"`], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (archive.status !== 0) throw new Error(`git archive ${revision} failed`);
  symlinkSync(join(cwd, 'node_modules'), join(root, 'node_modules'));
  const tsc = spawnSync(process.execPath, [join(cwd, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (tsc.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`building ${revision} failed (tsc exit ${tsc.status ?? tsc.signal})`);
  }
  const graphiql = join(cwd, 'dist', 'graphiql');
  if (!existsSync(graphiql)) spawnSync('npm', ['run', '-s', 'build:graphiql'], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  symlinkSync(graphiql, join(root, 'dist', 'graphiql'));
  return { label: revision, commit, root };
}
