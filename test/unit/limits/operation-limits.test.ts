/**
 * The query limits' defaults against what real callers send (every README example, GraphiQL's
 * sample query, every bench workload) and against the documents that took the first version down.
 * Measures only: the e2e suite checks the refusals over HTTP.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { workloadDocuments } from '../../../bench/workloads/documents.js';
import { measureOperation } from '../../../src/limits/measure-operation.js';
import { DEFAULT_QUERY_LIMITS } from '../../../src/limits/query-limits.js';
import { SAMPLE_QUERY } from '../../../src/sample-query.js';
import { SCHEMA_FILES } from '../../../src/server.js';

const schema: GraphQLSchema = buildSchema(SCHEMA_FILES.map((file) => readFileSync(new URL(`../../../schema/${file}`, import.meta.url), 'utf8')).join('\n'));

function measure(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = getOperationAST(document);
  if (operation === null || operation === undefined) throw new Error('one operation expected');
  return measureOperation(schema, document, operation, variables);
}

function withinDefaults(measures: ReturnType<typeof measure>): boolean {
  const l = DEFAULT_QUERY_LIMITS;
  return measures.depth <= l.maxDepth && measures.aliases <= l.maxAliases && measures.rootFields <= l.maxRootFields && measures.directives <= l.maxDirectives && measures.cost <= l.maxCost;
}

/** `connections(first: 500) { nodes { source { … } } }` wrapped `wraps` times under `entity(id:)`. */
function wrapped(wraps: number): string {
  let inner = 'name';
  for (let i = 0; i < wraps; i += 1) inner = `connections(first: 500) { nodes { source { ${inner} } } }`;
  return `{ entity(id: "d66b5d5b5199b2633bfc50a9e1f79213") { ${inner} } }`;
}

describe('query limits: what real callers send fits the defaults', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const bench = workloadDocuments('interlink');
  const w2Variables = Object.fromEntries(Array.from({ length: 50 }, (_, k) => [[`s${k}`, 'Salesforce'], [`i${k}`, `id${k}`]]).flat());
  const cases: [string, string, Record<string, unknown>][] = [
    ...blocks.map((block, i): [string, string, Record<string, unknown>] => [`README example ${i + 1}`, block, { id: 'x' }]),
    ['GraphiQL sample query', SAMPLE_QUERY, {}],
    ['bench W1', bench.W1, {}],
    ['bench W2', bench.W2, w2Variables],
    ['bench W3', bench.W3, { id: 'x' }],
  ];

  it('finds the README examples', () => expect(blocks.length).toBeGreaterThanOrEqual(3));

  it.each(cases)('%s', (_name, source, variables) => {
    const measures = measure(source, variables);
    expect(withinDefaults(measures), JSON.stringify(measures)).toBe(true);
  });

  it('bench W4 (two mutations in one document) fits, operation by operation', () => {
    const document = parse(bench.W4);
    for (const definition of document.definitions) {
      if (definition.kind !== 'OperationDefinition') continue;
      expect(withinDefaults(measureOperation(schema, document, definition, { internalId: '1', externalId: 'x', id: 'x', m: 'x' }))).toBe(true);
    }
  });
});

describe('query limits: the documents that took the first version down are over them', () => {
  it('connections wrapped 16 deep: over depth and cost', () => {
    const measures = measure(wrapped(16));
    expect(measures.depth).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxDepth);
    expect(measures.cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
  });

  it('connections wrapped 3 deep (within depth) is over cost: 500 × 500 × 500 items', () => {
    const measures = measure(wrapped(3));
    expect(measures.depth).toBeLessThanOrEqual(DEFAULT_QUERY_LIMITS.maxDepth);
    expect(measures.cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
  });

  it('1,000 aliases of connections(entityId:) are over aliases and root fields', () => {
    const fields = Array.from({ length: 1000 }, (_, i) => `c${i}: connections(entityId: "d66b5d5b5199b2633bfc50a9e1f79213") { nodes { status } }`);
    const measures = measure(`{ ${fields.join(' ')} }`);
    expect(measures.aliases).toBe(1000);
    expect(measures.aliases).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxAliases);
    expect(measures.rootFields).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxRootFields);
  });

  it('prices a vendor call at ten result objects: 100 root lookups cost more than one 500-item page', () => {
    const lookups = measure(`{ ${Array.from({ length: 100 }, (_, i) => `l${i}: externalLinks(filter: { externalId: "x${i}" }, first: 1) { nodes { id } }`).join(' ')} }`);
    const page = measure('{ externalLinks(first: 500) { nodes { id } } }');
    expect(lookups.cost).toBeGreaterThan(page.cost);
  });

  // Issue 23: 16 requests of 100 audits ran 47.8 s each on the large seed; 100 walks at depth 4 took 32.6 s.
  const audits = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: linkAudit { linksRead findings { kind links { nativeId } } }`).join(' ')} }`;
  const walks = (n: number, depth: number) => `{ ${Array.from({ length: n }, (_, i) => `g${i}: identityGraph(system: "Salesforce", id: "x${i}", depth: ${depth}) { nodes { id entity { name } } edges { provider link { nativeId } } }`).join(' ')} }`;

  it('prices linkAudit by the pages it reads: 100 aliases are over cost, one is within', () => {
    expect(measure(audits(100)).cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
    expect(withinDefaults(measure(audits(1)))).toBe(true);
  });

  it('prices identityGraph by depth and fan-out: 100 aliases at depth 4 are over cost; at the default depth 2, and one at depth 4, within', () => {
    expect(measure(walks(100, 4)).cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
    expect(withinDefaults(measure(walks(100, 2)))).toBe(true);
    expect(withinDefaults(measure(walks(1, 4)))).toBe(true);
    expect(measure(walks(1, 4)).cost).toBeGreaterThan(measure(walks(1, 3)).cost);
    // Variables count the same as literals; an unset depth is the default's.
    expect(measure('query($d: Int) { identityGraph(system: "S", id: "x", depth: $d) { nodes { id } } }', { d: 4 }).cost).toBe(measure('{ identityGraph(system: "S", id: "x", depth: 4) { nodes { id } } }').cost);
    expect(measure('{ identityGraph(system: "S", id: "x") { nodes { id } } }').cost).toBe(measure('{ identityGraph(system: "S", id: "x", depth: 2) { nodes { id } } }').cost);
  });

  it('counts directives, and fragments into depth', () => {
    const directives = measure(`query($t: Boolean!) { entities { nodes { ${Array.from({ length: 60 }, () => 'name @include(if: $t)').join(' ')} } } }`, { t: true });
    expect(directives.directives).toBe(60);
    const fragments = measure('{ entities { nodes { ...A } } } fragment A on Entity { parent { ...B } } fragment B on Entity { parent { name } }');
    expect(fragments.depth).toBe(5);
  });
});

describe('query limits: introspection', () => {
  it("lets a client's full introspection query through, and stops one that nests types in fields in types", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const full = measure(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true }));
    expect(withinDefaults(full), JSON.stringify(full)).toBe(true);
    let nested = 'name';
    for (let i = 0; i < 8; i += 1) nested = `fields { type { ${nested} } }`;
    const hostile = measure(`{ __schema { types { ${nested} } } }`);
    expect(hostile.cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
  });
});
