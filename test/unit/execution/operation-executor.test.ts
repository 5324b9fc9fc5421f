import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { COMPILE_AFTER_RUNS, COMPILED_CACHE_BYTES, MAX_COMPILED_FIELDS, compiledPlanBytes, createOperationExecutor, type CompiledExecutionMode } from '../../../src/execution/operation-executor.js';

const schema = buildSchema('type Query { a(n: Int): Int } type Mutation { m: Int }');
schema.getQueryType()!.getFields().a!.resolve = (_root, args: { n?: number }) => args.n ?? 1;
schema.getMutationType()!.getFields().m!.resolve = () => 2;

function request(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return { document, operation, operationName: null, queryHash: query, contextValue: {}, variables };
}

function executor(mode: CompiledExecutionMode, cacheSize?: number, cacheBytes?: number) {
  const plans: string[] = [];
  const execute = createOperationExecutor(schema, { mode, ...(cacheSize === undefined ? {} : { cacheSize }), ...(cacheBytes === undefined ? {} : { cacheBytes }), onPlan: ({ compiled, cached }) => plans.push(`${compiled ? 'compiled' : 'graphql-js'}${cached ? ' (cached)' : ''}`) });
  return { execute, plans };
}

/** A query of `n` fields: aliases of `a`. */
const fields = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `f${i}: a`).join(' ')} }`;

describe('the operation executor', () => {
  it('in `auto`, compiles a query when its document runs again, and never a mutation', async () => {
    expect(COMPILE_AFTER_RUNS).toBe(2);
    const { execute, plans } = executor('auto');
    const mutation = `mutation { ${Array.from({ length: 30 }, (_, i) => `m${i}: m`).join(' ')} }`;
    for (let i = 0; i < 3; i++) expect((await execute(request('query($n: Int) { a(n: $n) }', { n: i }))).data).toEqual({ a: i });
    expect((await execute(request(fields(50)))).data?.f49).toBe(1);
    for (let i = 0; i < 3; i++) expect((await execute(request(mutation))).data?.m0).toBe(2);
    expect(plans).toEqual(['graphql-js', 'compiled (cached)', 'compiled (cached)', 'graphql-js', 'graphql-js', 'graphql-js (cached)', 'graphql-js (cached)']);
  });

  it('in `auto`, a document evicted before it runs again starts its count anew', async () => {
    const { execute, plans } = executor('auto', 1);
    for (const query of ['{ a }', '{ b: a }', '{ a }', '{ a }']) await execute(request(query));
    expect(plans).toEqual(['graphql-js', 'graphql-js', 'graphql-js', 'compiled (cached)']);
  });

  it('in `always` compiles every query and reuses the plan; in `off` compiles none', async () => {
    const always = executor('always');
    for (let i = 0; i < 2; i++) expect((await always.execute(request('query($n: Int) { a(n: $n) }', { n: 5 }))).data).toEqual({ a: 5 });
    expect(always.plans).toEqual(['compiled', 'compiled (cached)']);
    const off = executor('off');
    expect((await off.execute(request(fields(50)))).data?.f49).toBe(1);
    expect(off.plans).toEqual(['graphql-js']);
  });

  it('refuses variables that do not coerce in graphql-js words, before the compiled query runs', async () => {
    const { execute } = executor('always');
    const result = await execute(request('query($n: Int) { a(n: $n) }', { n: 'five' }));
    expect(result.data).toBeUndefined();
    expect(result.errors?.map((e) => [e.message, e.nodes?.[0]?.kind])).toEqual([['Variable "$n" got invalid value "five"; Int cannot represent non-integer value: "five"', 'VariableDefinition']]);
  });

  it('keeps at most cacheSize plans, evicting the least recently used', async () => {
    const { execute, plans } = executor('always', 2);
    for (const query of ['{ a }', '{ b: a }', '{ a }', '{ c: a }', '{ b: a }', '{ a }']) await execute(request(query));
    // `{ b: a }` was the least recently used when `{ c: a }` came in; `{ a }` stayed.
    expect(plans).toEqual(['compiled', 'compiled', 'compiled (cached)', 'compiled', 'compiled', 'compiled']);
  });

  it('runs nothing when Apollo resolved no operation, not even a lone one graphql-js would pick', async () => {
    for (const mode of ['always', 'off'] as const) {
      const { execute } = executor(mode);
      for (const [text, queryHash] of [['query A { a } query B { a }', 'two'], ['query A { a }', 'one']] as const) {
        const result = await execute({ document: parse(text), operation: undefined, operationName: null, queryHash, contextValue: {}, variables: {} });
        expect(result.data).toBeUndefined();
        expect(result.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
      }
    }
  });

  it(`never compiles an operation of more than MAX_COMPILED_FIELDS (${MAX_COMPILED_FIELDS}) fields, fragments written out, and still answers it`, async () => {
    const { execute, plans } = executor('always');
    const atBound = fields(MAX_COMPILED_FIELDS);
    const overBound = fields(MAX_COMPILED_FIELDS + 1);
    // Nine levels of a fragment spread twice: 1,023 fields in a few hundred characters of text.
    const fanOut = `query { ...F9 } ${Array.from({ length: 9 }, (_, k) => `fragment F${k + 1} on Query { a ...F${k} ...F${k} }`).join(' ')} fragment F0 on Query { a }`;
    for (let i = 0; i < 3; i++) {
      expect((await execute(request(overBound))).data?.[`f${MAX_COMPILED_FIELDS}`]).toBe(1);
      expect((await execute(request(fanOut))).data).toEqual({ a: 1 });
    }
    await execute(request(atBound));
    expect(plans).toEqual(['graphql-js', 'graphql-js', 'graphql-js (cached)', 'graphql-js (cached)', 'graphql-js (cached)', 'graphql-js (cached)', 'compiled']);
  });

  it('keeps the plan cache under its byte cap when large distinct documents each run twice', async () => {
    const cap = 1024 * 1024;
    const { execute } = executor('auto', undefined, cap);
    // 60 documents of ~100 KB (a long comment) would hold 6 MB of source alone in a cache bounded by count.
    const large = (i: number) => `# ${i} ${'x'.repeat(100 * 1024)}\n{ n${i}: a }`;
    let peak = 0;
    for (let i = 0; i < 60; i++) {
      for (let run = 0; run < 2; run++) expect((await execute(request(large(i)))).data).toEqual({ [`n${i}`]: 1 });
      peak = Math.max(peak, execute.planCache.bytes);
    }
    expect(peak).toBeLessThanOrEqual(cap);
    // Each compiled plan was weighed with its source text: no more than cap / 100 KB of them fit.
    expect(execute.planCache.size).toBeLessThanOrEqual(Math.floor(cap / (100 * 1024)));
    expect(execute.planCache.maxBytes).toBe(cap);
  });

  it('weighs a compiled plan by its fields and its source text', () => {
    const small = parse('{ a }');
    const commented = parse(`# ${'x'.repeat(10_000)}\n{ a }`);
    expect(compiledPlanBytes(1, commented) - compiledPlanBytes(1, small)).toBe(10_003);
    expect(compiledPlanBytes(100, small)).toBeGreaterThan(compiledPlanBytes(1, small) + 99 * 2000);
    expect(COMPILED_CACHE_BYTES).toBeGreaterThan(500 * compiledPlanBytes(14, small));
  });

  it('compiles no more than its budget of milliseconds a second, and compiles the rest on a later run', async () => {
    // A clock where every compile takes 40 ms: the 100 ms budget lets three start each second.
    let clock = 0;
    const plans: boolean[] = [];
    const execute = createOperationExecutor(schema, { mode: 'always', compileBudgetMs: 100, now: () => (clock += 40), onPlan: ({ compiled }) => plans.push(compiled) });
    for (let i = 0; i < 5; i++) await execute(request(`{ n${i}: a }`));
    expect(plans).toEqual([true, true, true, false, false]);
    clock += 1000;
    for (const i of [3, 4]) await execute(request(`{ n${i}: a }`));
    expect(plans.slice(5)).toEqual([true, true]);
  });
});
