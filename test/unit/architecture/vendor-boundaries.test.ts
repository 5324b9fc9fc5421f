/**
 * The vendor boundary, checked on the source: a vendor's wire names (the properties and query
 * parameters of its OpenAPI schema) appear only in its own folder, and the layers above the
 * vendors (resolvers, loaders) import only the upstreams entry points.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const VENDORS = ['zuora', 'm3ter', 'revio'] as const;

/**
 * Wire names the gateway may use outside a vendor folder, and why:
 * - the logger redacts secrets by key wherever they appear (access_token, client_secret);
 * - `orgId` is also the config's name for an m3ter tenant, and the idempotency record's;
 * - `statusCode` is Node's name for an HTTP response's status too.
 */
const ALLOWED = new Set(['access_token', 'client_secret', 'orgId', 'statusCode']);

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every property and parameter name the vendor's spec defines. */
function wireNames(vendor: string): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object') for (const name of Object.keys(record.properties)) names.add(name);
    if (typeof record.name === 'string' && typeof record.in === 'string') names.add(record.name);
    Object.values(record).forEach(visit);
  };
  visit(JSON.parse(readFileSync(join(ROOT, 'schema/vendors', `${vendor}.json`), 'utf8')));
  return names;
}

/** Names the gateway's own model and schema use too: shared words, not vendor knowledge. */
function domainWords(): Set<string> {
  const text = [readFileSync(join(ROOT, 'src/models.ts'), 'utf8'), ...readdirSync(join(ROOT, 'schema')).filter((f) => f.endsWith('.graphql')).map((f) => readFileSync(join(ROOT, 'schema', f), 'utf8'))].join('\n');
  return new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

describe('vendor boundaries', () => {
  const domain = domainWords();
  const sources = filesUnder('src').filter((file) => !file.startsWith('src/__generated__/'));

  const names = Object.fromEntries(VENDORS.map((vendor) => [vendor, wireNames(vendor)]));
  // A name more than one vendor uses (OAuth's `expires_in`, `pageSize`) is a shared word.
  const ownName = (vendor: string, name: string) => VENDORS.every((other) => other === vendor || !names[other]!.has(name));

  for (const vendor of VENDORS) {
    it(`${vendor}'s wire names appear only in src/upstreams/${vendor}/`, () => {
      // Plain words (id, name, status) say nothing about who knows the vendor: only compound names count.
      const distinctive = [...names[vendor]!].filter((name) => /_|[a-z][A-Z]/.test(name) && !domain.has(name) && !ALLOWED.has(name) && ownName(vendor, name));
      // Enough names to make the check mean something.
      expect(distinctive.length).toBeGreaterThanOrEqual(3);
      const pattern = new RegExp(`(?<![A-Za-z0-9_])(${distinctive.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z0-9_])`, 'g');
      const found = sources
        .filter((file) => !file.startsWith(`src/upstreams/${vendor}/`))
        .flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(pattern)].map((match) => `${file}: ${match[1]}`));
      expect(found).toEqual([]);
    });
  }

  it('resolvers and loaders import from upstreams only through its entry points', () => {
    const entryPoints = new Set(['../upstreams/index.js']);
    const imports = [...filesUnder('src/resolvers'), ...filesUnder('src/loaders')].flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from '(\.\.\/upstreams\/[^']+)'/g)].map((match) => ({ file, from: match[1]! })),
    );
    expect(imports.filter(({ from }) => !entryPoints.has(from))).toEqual([]);
  });
});
