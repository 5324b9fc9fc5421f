import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { COMPILE_AFTER_RUNS, createOperationExecutor, type CompiledExecutionMode } from '../../../src/execution/operation-executor.js';

const schema = buildSchema('type Query { a(n: Int): Int } type Mutation { m: Int }');
schema.getQueryType()!.getFields().a!.resolve = (_root, args: { n?: number }) => args.n ?? 1;
schema.getMutationType()!.getFields().m!.resolve = () => 2;

function request(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return { document, operation, operationName: null, queryHash: query, contextValue: {}, variables };
}

function executor(mode: CompiledExecutionMode, cacheSize?: number) {
  const plans: string[] = [];
  const execute = createOperationExecutor(schema, { mode, ...(cacheSize === undefined ? {} : { cacheSize }), onPlan: ({ compiled, cached }) => plans.push(`${compiled ? 'compiled' : 'graphql-js'}${cached ? ' (cached)' : ''}`) });
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
});
