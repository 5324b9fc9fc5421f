// Validates response bodies against the project's copies of the vendor contracts
// (schema/vendors/<vendor>.json, made by scripts/copy-vendor-specs.ts), so contract suites can
// prove the sandbox speaks each vendor's documented shapes.
//
// Zuora is Swagger 2.0 (responses[status].schema, #/definitions/...); m3ter and Rev.io are
// OpenAPI 3.0 (responses[status].content['application/json'].schema, #/components/schemas/...,
// `nullable`). Validators are compiled on first use and cached per operation and response key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export type SpecVendor = 'zuora' | 'm3ter' | 'revio';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface LoadedSpec {
  doc: JsonObject;
  ajv: Ajv;
  /** Base URI under which the spec's schemas are registered with Ajv. */
  baseId: string;
  swagger2: boolean;
}

interface FoundResponse {
  /** The spec key that matched: '200', '4XX', 'default', or 'x-unsupported-methods'. */
  key: string;
  schema: JsonObject | undefined;
}

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, which carries
// the plugin as `.default` (it is the plugin itself too, so this holds under any interop).
const addFormats = addFormatsModule.default;

const VENDOR_DIR = fileURLToPath(new URL('../../schema/vendors/', import.meta.url));
const specs = new Map<SpecVendor, LoadedSpec>();
const validators = new Map<string, ValidateFunction>();

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a local `#/a/b` pointer inside the spec document. */
function pointerGet(doc: JsonObject, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got "${ref}"`);
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[part] : undefined;
  }
  return node;
}

function derefObject(doc: JsonObject, node: Json | undefined): JsonObject | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 10; hops++) {
    current = pointerGet(doc, current.$ref);
  }
  return isObject(current) ? current : undefined;
}

/** Applies `visit` to every subschema of a JSON Schema tree, children first. */
function mapSchema(schema: Json, visit: (node: JsonObject) => JsonObject): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = { ...schema };
  for (const key of ['properties', 'patternProperties', 'definitions', '$defs']) {
    const map = out[key];
    if (isObject(map)) out[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, mapSchema(sub, visit)]));
  }
  for (const key of ['items', 'additionalProperties', 'not', 'additionalItems']) {
    const sub = out[key];
    if (Array.isArray(sub)) out[key] = sub.map((item) => mapSchema(item, visit));
    else if (isObject(sub)) out[key] = mapSchema(sub, visit);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((item) => mapSchema(item, visit));
  }
  return visit(out);
}

/**
 * Makes OpenAPI `nullable` (and Swagger's `x-nullable`) mean what it says under Ajv. Ajv 8 honours
 * `nullable: true` only next to `type`; beside a bare `$ref` or `allOf` it throws at compile time,
 * so those become `anyOf: [schema, {type: 'null'}]`.
 */
function normalizeNullable(node: JsonObject): JsonObject {
  const { nullable, 'x-nullable': xNullable, ...rest } = node;
  if (nullable !== true && xNullable !== true) return node;
  if (rest.type !== undefined) return { ...rest, nullable: true };
  return { anyOf: [rest, { type: 'null' }] };
}

/** Rewrites local refs to absolute ones so schemas compiled on their own resolve in the registry. */
function absolutizeRefs(value: Json, baseId: string): Json {
  if (Array.isArray(value)) return value.map((item) => absolutizeRefs(item, baseId));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, sub] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof sub === 'string' && sub.startsWith('#') ? `${baseId}${sub}` : absolutizeRefs(sub, baseId);
  }
  return out;
}

/** Sets one field of a copied schema, failing loudly if the copy no longer has that shape. */
function patchProperty(doc: JsonObject, schemaRef: string, property: string, patch: JsonObject): void {
  const schema = pointerGet(doc, schemaRef);
  const props = isObject(schema) ? schema.properties : undefined;
  const target = isObject(props) ? props[property] : undefined;
  if (!isObject(target) || !isObject(props)) throw new Error(`overlay target ${schemaRef}.${property} is missing from the copy`);
  props[property] = { ...target, ...patch };
}

/**
 * Small, deliberate differences between a copy and what the vendor actually sends. The copies stay
 * untouched (they are generated); each change here says which vendor behaviour requires it.
 */
function applyOverlays(vendor: SpecVendor, doc: JsonObject): void {
  switch (vendor) {
    case 'zuora':
      // Zuora sends parentId null at the root. Its spec types it as a plain string, yet its own example
      // for GET /v1/entities sends null, and Swagger 2.0 cannot say "nullable".
      patchProperty(doc, '#/definitions/GETEntitiesType', 'parentId', { nullable: true });
      patchProperty(doc, '#/definitions/GETEntitiesResponseTypeWithId', 'parentId', { nullable: true });
      return;
    case 'm3ter':
      // m3ter's documented token example sends `scope: null`, though the schema types it as string.
      patchProperty(doc, '#/components/schemas/BearerAccessTokenResponse', 'scope', { nullable: true });
      return;
    case 'revio':
      return;
    default: {
      const unhandled: never = vendor;
      throw new Error(`unknown vendor ${String(unhandled)}`);
    }
  }
}

function prepareSchema(vendor: SpecVendor, schema: Json, baseId: string): Json {
  return absolutizeRefs(
    mapSchema(schema, (node) => {
      const normalized = normalizeNullable(node);
      if (vendor !== 'm3ter' || normalized.pattern === undefined) return normalized;
      // m3ter writes patterns in Java regex syntax (\p{Cntrl}, nested classes), which ECMA-262
      // cannot compile; the validators ignore them and check everything else.
      const { pattern: _javaRegex, ...rest } = normalized;
      return rest;
    }),
    baseId,
  );
}

/** A nextPage-style absolute URL (Zuora's non-standard `format: URL`). */
function isAbsoluteUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function loadSpec(vendor: SpecVendor): LoadedSpec {
  const cached = specs.get(vendor);
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(`${VENDOR_DIR}${vendor}.json`, 'utf8')) as JsonObject;
  applyOverlays(vendor, doc);
  const baseId = `https://interlink.invalid/schema/vendors/${vendor}.json`;
  const components = isObject(doc.components) ? doc.components : {};
  // Only the named schemas are registered; responses are compiled one by one as they are asked for.
  const registry = prepareSchema(vendor, { definitions: doc.definitions ?? {}, components: { schemas: components.schemas ?? {} } }, baseId);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('URL', isAbsoluteUrl);
  ajv.addSchema({ ...(registry as JsonObject), $id: baseId });
  const loaded = { doc, ajv, baseId, swagger2: doc.swagger === '2.0' };
  specs.set(vendor, loaded);
  return loaded;
}

function responseSchema(spec: LoadedSpec, response: JsonObject | undefined): JsonObject | undefined {
  if (!response) return undefined;
  if (spec.swagger2) return isObject(response.schema) ? response.schema : undefined;
  const content = isObject(response.content) ? response.content : {};
  const mediaType = content['application/json'] ?? Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
  return isObject(mediaType) && isObject(mediaType.schema) ? mediaType.schema : undefined;
}

function findResponse(vendor: SpecVendor, method: string, pathTemplate: string, status: number): FoundResponse | undefined {
  const spec = loadSpec(vendor);
  const paths = isObject(spec.doc.paths) ? spec.doc.paths : {};
  const pathItem = paths[pathTemplate];
  if (!isObject(pathItem)) {
    throw new Error(`${vendor} spec has no path "${pathTemplate}" (pass the spec's path key); known: ${Object.keys(paths).join(', ')}`);
  }
  const operation = pathItem[method.toLowerCase()];
  if (!isObject(operation)) {
    // RSPEC lists the methods that answer 405 per path and documents that reply once, as a
    // shared response, rather than under an operation that does not exist.
    const unsupported = pathItem['x-unsupported-methods'];
    if (status === 405 && Array.isArray(unsupported) && unsupported.includes(method.toUpperCase())) {
      const responses = isObject(spec.doc.components) ? spec.doc.components.responses : undefined;
      const shared = isObject(responses) ? derefObject(spec.doc, responses.MethodNotAllowed) : undefined;
      return { key: 'x-unsupported-methods', schema: responseSchema(spec, shared) };
    }
    return undefined;
  }
  const responses = isObject(operation.responses) ? operation.responses : {};
  const range = `${Math.floor(status / 100)}XX`;
  const key = [String(status), range, range.toLowerCase(), 'default'].find((candidate) => responses[candidate] !== undefined);
  if (key === undefined) return undefined;
  return { key, schema: responseSchema(spec, derefObject(spec.doc, responses[key])) };
}

function describeOperation(vendor: SpecVendor, method: string, pathTemplate: string, status: number): string {
  return `${vendor} ${method.toUpperCase()} ${pathTemplate} → ${status}`;
}

function excerpt(value: unknown, max = 300): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function valueAt(body: unknown, instancePath: string): unknown {
  let node = body;
  for (const raw of instancePath.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node;
}

function formatError(error: ErrorObject, body: unknown): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const allowed = error.keyword === 'enum' ? ` ${excerpt(error.params.allowedValues, 120)}` : '';
  const got = error.keyword === 'required' ? '' : `; got ${excerpt(valueAt(body, error.instancePath), 80)}`;
  return `${where} [${error.keyword}] ${error.message ?? 'is invalid'}${allowed}${got}`;
}

/** True when the spec documents a JSON body schema for this operation and status. */
export function isDocumented(vendor: SpecVendor, method: string, pathTemplate: string, status: number): boolean {
  return findResponse(vendor, method, pathTemplate, status)?.schema !== undefined;
}

/**
 * Throws unless `body` matches the response schema for (method, pathTemplate, status) in
 * schema/vendors/<vendor>.json. Looks up the exact status, then the spec's 4XX/5XX range key,
 * then `default`; throws "not documented" if none of them carries a JSON schema.
 */
export function expectMatchesSpec(vendor: SpecVendor, method: string, pathTemplate: string, status: number, body: unknown): void {
  const operation = describeOperation(vendor, method, pathTemplate, status);
  const found = findResponse(vendor, method, pathTemplate, status);
  if (found?.schema === undefined) {
    throw new Error(`${operation}: not documented (the spec has no JSON response schema for this status)`);
  }
  const cacheKey = `${vendor} ${method.toLowerCase()} ${pathTemplate} ${found.key}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    const spec = loadSpec(vendor);
    validate = spec.ajv.compile(prepareSchema(vendor, found.schema, spec.baseId) as JsonObject);
    validators.set(cacheKey, validate);
  }
  if (validate(body)) return;
  const lines = [...new Set((validate.errors ?? []).map((error) => formatError(error, body)))];
  const shown = lines.slice(0, 12).map((line) => `  - ${line}`);
  if (lines.length > shown.length) shown.push(`  - …and ${lines.length - shown.length} more`);
  throw new Error(`${operation} (spec response "${found.key}"): body does not match the spec\n${shown.join('\n')}\nbody: ${excerpt(body)}`);
}
