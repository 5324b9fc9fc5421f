// Bundles the offline GraphiQL page (src/graphiql/app.tsx) into static files the gateway serves:
//
//   dist/graphiql/index.html          page template; the server fills in the inline JSON config
//   dist/graphiql/assets/app-*.js     the page, one ES module
//   dist/graphiql/assets/app-*.css    GraphiQL and Monaco styles (fonts are inlined as data: URLs)
//   dist/graphiql/assets/*.worker-*.js  Monaco's editor, JSON and GraphQL workers, one file each
//
// Monaco runs its language services in web workers. graphiql's own worker setups either load them
// from esm.sh or need a Vite/webpack worker plugin, so the workers are separate esbuild entry
// points here and the page learns their hashed URLs through a `define` (see setup-workers.ts).
//
//   npm run build:graphiql               build unconditionally
//   npm run build:graphiql -- --if-stale build only when an input changed (what prestart runs)
//
// A stamp file holds a hash of every input (the page's sources, this script, the versions of the
// bundled packages), so ensureGraphiQLAssets() costs one small read when nothing changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { GRAPHIQL_CONFIG_ELEMENT_ID, GRAPHIQL_CONFIG_PLACEHOLDER, GRAPHIQL_PATH } from '../src/http/graphiql-page-config.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIR = join(REPO_ROOT, 'src', 'graphiql');
const require = createRequire(import.meta.url);

export const GRAPHIQL_ASSETS_DIR = join(REPO_ROOT, 'dist', 'graphiql');
const STAMP_FILE = '.build-stamp';
const ASSETS_URL = `${GRAPHIQL_PATH}/assets`;

/** Packages whose code ends up in the bundle; a version change means a rebuild. */
const BUNDLED_PACKAGES = ['graphiql', '@graphiql/react', 'monaco-editor', 'monaco-graphql', 'react', 'react-dom', 'esbuild'];

export interface GraphiQLBuild {
  outDir: string;
  /** false when ensureGraphiQLAssets found the existing build current. */
  built: boolean;
  /** Every file written, relative to outDir, with its size in bytes. */
  files: { path: string; bytes: number }[];
}

/** Builds into outDir unless its stamp matches the current inputs. Safe to call from parallel processes. */
export async function ensureGraphiQLAssets(outDir: string = GRAPHIQL_ASSETS_DIR): Promise<GraphiQLBuild> {
  const stamp = inputsHash();
  if (readStamp(outDir) === stamp) return { outDir, built: false, files: listFiles(outDir) };
  return buildGraphiQL(outDir, stamp);
}

export async function buildGraphiQL(outDir: string = GRAPHIQL_ASSETS_DIR, stamp: string = inputsHash()): Promise<GraphiQLBuild> {
  // Build beside the target and swap it in, so a server never reads a half-written folder.
  const staging = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  const assetsDir = join(staging, 'assets');
  try {
    const workers = await bundleWorkers(assetsDir);
    const app = await bundleApp(assetsDir, workers);
    writeFileSync(join(staging, 'index.html'), renderTemplate(app));
    writeFileSync(join(staging, STAMP_FILE), `${stamp}\n`);
    swapIn(staging, outDir, stamp);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { outDir, built: true, files: listFiles(outDir) };
}

async function bundleWorkers(assetsDir: string): Promise<{ editor: string; json: string; graphql: string }> {
  const result = await build({
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    // Monaco and monaco-graphql are dependencies of @graphiql/react, not of ours: resolve them
    // from there in case npm did not hoist them.
    nodePaths: [join(dirname(require.resolve('@graphiql/react/package.json')), 'node_modules')],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    // Classic (non-module) workers: `new Worker(url)` works in every browser GraphiQL supports.
    format: 'iife',
    target: 'es2020',
    minify: true,
    entryNames: '[name]-[hash]',
    outdir: assetsDir,
    metafile: true,
    logLevel: 'warning',
  });
  const url = (name: string): string => `${ASSETS_URL}/${entryOutput(result.metafile, assetsDir, name).js}`;
  return { editor: url('editor.worker'), json: url('json.worker'), graphql: url('graphql.worker') };
}

async function bundleApp(assetsDir: string, workers: { editor: string; json: string; graphql: string }): Promise<{ js: string; css: string }> {
  const result = await build({
    entryPoints: { app: join(SOURCE_DIR, 'app.tsx') },
    tsconfig: join(SOURCE_DIR, 'tsconfig.json'),
    absWorkingDir: REPO_ROOT,
    bundle: true,
    format: 'esm',
    // No code splitting: GraphiQL imports Monaco lazily, and esbuild does not load the CSS of a
    // lazily imported chunk, so with splitting the editors would render unstyled. Without it the
    // lazy imports are inlined and all CSS lands in app.css.
    target: 'es2020',
    minify: true,
    jsx: 'automatic',
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    // Monaco's codicon font is referenced from its CSS; GraphiQL's own fonts are already inlined.
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    define: {
      __GRAPHIQL_WORKER_URLS__: JSON.stringify(workers),
      'process.env.NODE_ENV': '"production"',
    },
    outdir: assetsDir,
    metafile: true,
    logLevel: 'warning',
  });
  const { js, css } = entryOutput(result.metafile, assetsDir, 'app');
  if (css === undefined) throw new Error('esbuild wrote no CSS bundle for app.tsx, which imports graphiql/style.css');
  return { js, css };
}

/** The JS file esbuild wrote for entry point `name` (and the CSS it bundled), relative to assetsDir. */
function entryOutput(metafile: Metafile, assetsDir: string, name: string): { js: string; css?: string } {
  const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}-[A-Z0-9]+\\.js$`);
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const js = relative(assetsDir, resolve(REPO_ROOT, path));
    if (!pattern.test(js)) continue;
    const css = output.cssBundle === undefined ? undefined : relative(assetsDir, resolve(REPO_ROOT, output.cssBundle));
    return css === undefined ? { js } : { js, css };
  }
  throw new Error(`esbuild wrote no output for entry point ${name}; got ${Object.keys(metafile.outputs).join(', ')}`);
}

function renderTemplate(app: { js: string; css: string }): string {
  // The config block is data, not script: CSP's script-src 'self' does not apply to it.
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Interlink · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${ASSETS_URL}/${app.css}" />
    <script type="module" src="${ASSETS_URL}/${app.js}"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script id="${GRAPHIQL_CONFIG_ELEMENT_ID}" type="application/json">${GRAPHIQL_CONFIG_PLACEHOLDER}</script>
  </body>
</html>
`;
}

function swapIn(staging: string, outDir: string, stamp: string): void {
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another process (a parallel test worker) swapped in the same build first: keep theirs.
    if (readStamp(outDir) !== stamp) throw error;
  }
}

function inputsHash(): string {
  const hash = createHash('sha256');
  const sources = [fileURLToPath(import.meta.url), join(REPO_ROOT, 'src', 'http', 'graphiql-page-config.ts')];
  for (const name of readdirSync(SOURCE_DIR).sort()) sources.push(join(SOURCE_DIR, name));
  for (const path of sources) hash.update(path).update(readFileSync(path));
  for (const name of BUNDLED_PACKAGES) {
    const { version } = JSON.parse(readFileSync(packageJsonOf(name), 'utf8')) as { version: string };
    hash.update(`${name}@${version}`);
  }
  return hash.digest('hex');
}

function packageJsonOf(name: string): string {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    // Transitive packages that npm nested under @graphiql/react.
    return createRequire(require.resolve('@graphiql/react/package.json')).resolve(`${name}/package.json`);
  }
}

function readStamp(outDir: string): string | undefined {
  const path = join(outDir, STAMP_FILE);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

function listFiles(outDir: string, sub = ''): { path: string; bytes: number }[] {
  const files: { path: string; bytes: number }[] = [];
  for (const name of readdirSync(join(outDir, sub)).sort()) {
    const path = join(sub, name);
    const stats = statSync(join(outDir, path));
    if (stats.isDirectory()) files.push(...listFiles(outDir, path));
    else if (name !== STAMP_FILE) files.push({ path, bytes: stats.size });
  }
  return files;
}

async function main(argv: string[]): Promise<void> {
  const result = argv.includes('--if-stale') ? await ensureGraphiQLAssets() : await buildGraphiQL();
  const total = result.files.reduce((sum, file) => sum + file.bytes, 0);
  const where = relative(process.cwd(), result.outDir) || '.';
  if (!result.built) {
    console.log(`GraphiQL assets in ${where} are current (${(total / 1024).toFixed(0)} KiB)`);
    return;
  }
  for (const file of result.files) console.log(`  ${file.path.padEnd(40)} ${(file.bytes / 1024).toFixed(1).padStart(8)} KiB`);
  console.log(`GraphiQL assets built in ${where}: ${result.files.length} files, ${(total / 1024).toFixed(0)} KiB`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main(process.argv.slice(2));
}
