// Writes the project's own copies of the three vendor contracts to schema/vendors/.
//
// The copies keep the facts a client or simulator depends on (paths, methods, parameters,
// schemas, types, enums, formats, required lists, bounds, defaults) and drop the vendor's prose
// (descriptions, summaries, titles, examples, code samples, links to docs), so the repository
// carries no vendor text and stays self-contained. Output is byte-for-byte deterministic: keys
// are sorted, JSON is indented by two spaces and ends with a newline. test/unit/vendor-specs.test.ts
// regenerates it and compares.
//
//   npm run vendor-specs             write the copies
//   npm run vendor-specs -- --check  exit 1 if the committed copies are stale
//
// The source folder defaults to <repo>/../shared/upstream-specs; INTERLINK_UPSTREAM_SPECS overrides it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VENDOR_COPY_DIR = join(REPO_ROOT, 'schema', 'vendors');

/** Which upstream file each copy is made from. The full 1.28 MB m3ter file is deliberately not used. */
export const VENDOR_SOURCES = {
  'zuora.json': 'zuora-multientity-2017-07-12.subset.json',
  'm3ter.json': 'm3ter-externalmappings.subset.json',
  'revio.json': 'revio-keylinks.reconstructed.yaml',
} as const;

export function defaultUpstreamDir(): string {
  return process.env.INTERLINK_UPSTREAM_SPECS ?? resolve(REPO_ROOT, '..', 'shared', 'upstream-specs');
}

/** Annotation keywords that hold vendor prose or sample data, never a constraint. */
const PROSE_KEYWORDS = new Set([
  'description',
  'summary',
  'title', // info.title is kept separately; schema titles are labels or prose, never constraints
  'example',
  'examples',
  'externalDocs',
  'termsOfService',
  'contact',
  'license',
  'x-code-samples',
]);

// Vendor extensions we keep, because they state facts of the contract:
// - x-reconstructed: the Rev.io file is written by the project, not the vendor (provenance);
// - x-decision: marks an item as a project decision rather than a confirmed vendor fact;
// - x-unsupported-methods: the methods that answer 405 on a path (the validator uses it).
// Dropped: x-stainless-* (the m3ter SDK generator's settings, and one deprecation sentence).
// Any other x-* fails the run, so a new extension upstream gets a conscious keep/drop decision.
const KEPT_EXTENSIONS = new Set(['x-reconstructed', 'x-decision', 'x-unsupported-methods']);
const DROPPED_EXTENSION_PREFIXES = ['x-stainless-'];

// Keys whose object value maps *names* (field names, status codes, paths, media types) to
// definitions. A name is data: a property called "description" is a field and must survive.
const NAME_MAP_KEYS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'paths',
  'responses',
  'parameters',
  'schemas',
  'requestBodies',
  'securitySchemes',
  'headers',
  'content',
  'variables',
  'callbacks',
  'links',
  'encoding',
  'flows',
]);

// Keys whose value is literal data, copied as is (an enum value may well look like an object).
const LITERAL_KEYS = new Set(['enum', 'default', 'const', 'required', 'mapping']);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripKeywordObject(node: JsonObject, where: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (PROSE_KEYWORDS.has(key)) continue;
    if (key.startsWith('x-') && !KEPT_EXTENSIONS.has(key)) {
      if (DROPPED_EXTENSION_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
      throw new Error(`unknown vendor extension ${key} at ${where}: decide whether to keep or drop it`);
    }
    const path = `${where}/${key}`;
    if (LITERAL_KEYS.has(key)) out[key] = value;
    // OAuth scope maps name -> prose; the names are facts, the prose goes.
    else if (key === 'scopes' && isObject(value)) out[key] = Object.fromEntries(Object.keys(value).map((name) => [name, '']));
    else if (NAME_MAP_KEYS.has(key) && isObject(value)) out[key] = stripNameMap(value, path);
    else out[key] = stripValue(value, path);
  }
  return out;
}

function stripNameMap(node: JsonObject, where: string): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(node)) out[name] = stripValue(value, `${where}/${name}`);
  return out;
}

function stripValue(value: Json, where: string): Json {
  if (Array.isArray(value)) return value.map((item, index) => stripValue(item, `${where}/${index}`));
  if (isObject(value)) return stripKeywordObject(value, where);
  return value;
}

/** Recursively sorts object keys so the output never depends on source order. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] as Json);
  return out;
}

/** The facts-only copy of one parsed upstream document. */
export function stripVendorProse(doc: JsonObject, sourceFile: string): JsonObject {
  const { info, tags, ...rest } = doc;
  const stripped = stripKeywordObject(rest, '#');
  const infoObject = isObject(info) ? info : {};
  const copy: JsonObject = {
    ...stripped,
    info: { title: infoObject.title ?? null, version: infoObject.version ?? null },
    'x-interlink-source': {
      file: sourceFile,
      generatedBy: 'scripts/copy-vendor-specs.ts',
      note: 'Generated copy with vendor prose removed; regenerate with npm run vendor-specs, never edit by hand.',
    },
  };
  // Tag names group operations (a fact); tag descriptions are prose.
  if (Array.isArray(tags)) copy.tags = tags.filter(isObject).map((tag) => ({ name: tag.name ?? null }));
  return sortKeys(copy) as JsonObject;
}

function parseSource(path: string): JsonObject {
  const text = readFileSync(path, 'utf8');
  const parsed = (path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Json;
  if (!isObject(parsed)) throw new Error(`${path} must hold an OpenAPI/Swagger object, got ${typeof parsed}`);
  return parsed;
}

/** Renders every copy in memory: output file name -> exact file text. */
export function renderVendorCopies(upstreamDir: string): Map<string, string> {
  const rendered = new Map<string, string>();
  for (const [outFile, sourceFile] of Object.entries(VENDOR_SOURCES)) {
    const copy = stripVendorProse(parseSource(join(upstreamDir, sourceFile)), sourceFile);
    rendered.set(outFile, `${JSON.stringify(copy, null, 2)}\n`);
  }
  return rendered;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const upstreamDir = defaultUpstreamDir();
  if (!existsSync(upstreamDir)) {
    console.error(`upstream specs not found at ${upstreamDir}; set INTERLINK_UPSTREAM_SPECS to the folder`);
    return 2;
  }
  const rendered = renderVendorCopies(upstreamDir);
  if (check) {
    const stale = [...rendered].filter(([file, text]) => {
      const path = join(VENDOR_COPY_DIR, file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    });
    for (const [file] of stale) console.error(`schema/vendors/${file} is stale or missing`);
    if (stale.length > 0) {
      console.error('run npm run vendor-specs');
      return 1;
    }
    console.log('schema/vendors is up to date');
    return 0;
  }
  mkdirSync(VENDOR_COPY_DIR, { recursive: true });
  for (const [file, text] of rendered) writeFileSync(join(VENDOR_COPY_DIR, file), text);
  console.log(`wrote ${[...rendered.keys()].map((file) => `schema/vendors/${file}`).join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
