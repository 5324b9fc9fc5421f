/**
 * Writes `src/upstreams/{zuora,m3ter,revio}/types.generated.ts` from the project's vendor
 * contracts in `schema/vendors/` (made by `npm run vendor-specs`). Zuora's Swagger 2.0 is first
 * converted to OpenAPI 3 with swagger2openapi; then openapi-typescript emits the types.
 *
 *   npm run generate:vendor-types             write the files
 *   npm run generate:vendor-types -- --check  exit 1 if any file is stale
 *
 * `test/unit/generated-types.test.ts` runs the same check.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

const VENDORS = ['zuora', 'm3ter', 'revio'] as const;
type Vendor = (typeof VENDORS)[number];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const REGENERATE_HINT = 'run npm run generate:vendor-types';

// swagger2openapi ships no types; this is the one function used.
const { convertObj } = createRequire(import.meta.url)('swagger2openapi') as {
  convertObj(spec: unknown, options: { patch: boolean; warnOnly: boolean }): Promise<{ openapi: OpenAPI3 }>;
};

export function specPath(vendor: Vendor): string {
  return path.join(ROOT, 'schema', 'vendors', `${vendor}.json`);
}

export function outputPath(vendor: Vendor): string {
  return path.join(ROOT, 'src', 'upstreams', vendor, 'types.generated.ts');
}

function header(vendor: Vendor): string {
  return [
    '/**',
    ` * Generated from schema/vendors/${vendor}.json by scripts/generate-vendor-types.ts. Do not edit:`,
    ` * ${REGENERATE_HINT}.`,
    ' */',
    '',
    '',
  ].join('\n');
}

/** The file content for one vendor, computed in memory. */
export async function generateVendorTypes(vendor: Vendor): Promise<string> {
  const spec = JSON.parse(await readFile(specPath(vendor), 'utf8')) as Record<string, unknown>;
  // `patch` fixes small Swagger 2.0 defects instead of failing; `warnOnly` keeps going on the rest.
  const openapi = 'swagger' in spec ? (await convertObj(spec, { patch: true, warnOnly: true })).openapi : (spec as unknown as OpenAPI3);
  const ast = await openapiTS(openapi, { silent: true, alphabetize: true });
  return header(vendor) + astToString(ast);
}

/** Vendors whose generated file differs from what the spec produces now. */
export async function staleVendorTypes(): Promise<Vendor[]> {
  const stale: Vendor[] = [];
  for (const vendor of VENDORS) {
    const expected = await generateVendorTypes(vendor);
    const actual = await readFile(outputPath(vendor), 'utf8').catch(() => undefined);
    if (actual !== expected) stale.push(vendor);
  }
  return stale;
}

async function main(args: string[]): Promise<void> {
  if (args.includes('--check')) {
    const stale = await staleVendorTypes();
    if (stale.length > 0) {
      console.error(`Stale vendor types: ${stale.map(outputPath).map((file) => path.relative(ROOT, file)).join(', ')}; ${REGENERATE_HINT}`);
      process.exitCode = 1;
    }
    return;
  }
  for (const vendor of VENDORS) {
    await writeFile(outputPath(vendor), await generateVendorTypes(vendor));
    console.log(`wrote ${path.relative(ROOT, outputPath(vendor))}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
