/**
 * Every field is budgeted unless it is declared free, decided from the built schema: a field
 * added later is budgeted without anyone listing it, and FREE_FIELDS holds only fields that
 * cannot reach a loader or a vendor. Before, an opt-in list named the budgeted fields and left
 * `linkAudit` and `identityGraph` out (issue 23: 47.8 s per request on the large seed).
 */
import { getNullableType, isListType, isObjectType, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { FREE_FIELDS, isBudgeted, withRequestBudget } from '../../../src/limits/with-request-budget.js';
import { DEFAULT_QUERY_LIMITS } from '../../../src/limits/query-limits.js';
import { disposeRequestBudget } from '../../../src/limits/request-budget.js';
import { createSchema } from '../../../src/server.js';

const schema = createSchema();
const fields = Object.values(schema.getTypeMap())
  .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
  .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type: type.name, field, coordinate: `${type.name}.${field.name}` })));
const roots = new Set(['Query', 'Mutation']);

describe('the built schema: every field budgeted unless declared free', () => {
  it('walks the whole schema, linkAudit and identityGraph included', () => {
    expect(fields.length).toBeGreaterThan(50);
    expect(isBudgeted(schema.getQueryType()!.getFields().linkAudit!.resolve)).toBe(true);
    expect(isBudgeted(schema.getQueryType()!.getFields().identityGraph!.resolve)).toBe(true);
  });

  it.each(fields.filter(({ type }) => roots.has(type)).map(({ coordinate, field }) => [coordinate, field] as const))('%s (a root field) is budgeted', (_coordinate, field) => {
    expect(isBudgeted(field.resolve)).toBe(true);
  });

  // A field with its own resolver may reach the context (loaders, providers); a list is items whoever builds it.
  it.each(fields.filter(({ type, field }) => !roots.has(type) && (field.resolve !== undefined || isListType(getNullableType(field.type)))).map(({ coordinate, field }) => [coordinate, field] as const))('%s (a resolver or a list) is budgeted or declared free', (coordinate, field) => {
    expect(isBudgeted(field.resolve) || FREE_FIELDS.includes(coordinate), `${coordinate} is neither budgeted nor in FREE_FIELDS`).toBe(true);
  });

  it.each(FREE_FIELDS.map((coordinate) => [coordinate]))('%s (declared free) is not wrapped, and its resolver takes no context, so it cannot start a vendor call', (coordinate) => {
    const found = fields.find((entry) => entry.coordinate === coordinate);
    expect(found, `${coordinate} is not a field`).toBeDefined();
    expect(isBudgeted(found!.field.resolve)).toBe(false);
    // The third parameter is the context: a resolver declaring fewer cannot reach loaders or providers.
    if (found!.field.resolve !== undefined) expect(found!.field.resolve.length).toBeLessThan(3);
  });
});

const TYPE_DEFS = /* GraphQL */ `
  type Query { thing: Thing, things: [Thing!]!, plain: String }
  type Mutation { write: [String!]! }
  type Thing { name: String, fetched: String, tags: [String!]!, free: String }
`;

/** What a default resolver reads of its info: the field's name. */
function info(fieldName: string): GraphQLResolveInfo {
  return { fieldName } as GraphQLResolveInfo;
}

describe('withRequestBudget on a schema of its own', () => {
  const resolvers = {
    Query: { thing: () => ({ name: 'a', tags: ['x', 'y'] }), things: () => [{}, {}, {}] },
    Mutation: { write: () => new Promise<string[]>((resolve) => setTimeout(() => resolve(['done']), 30)) },
    Thing: { fetched: (_parent: unknown, _args: unknown, context: { loaders: unknown }) => String(context.loaders), free: (thing: { name: string }) => thing.name },
  };

  it('budgets a field nobody listed: every root field (default resolver too), every resolver, every list; leaves property reads and the free', () => {
    const built = withRequestBudget(makeExecutableSchema({ typeDefs: TYPE_DEFS, resolvers }), ['Thing.free']);
    const query = built.getQueryType()!.getFields();
    const thing = built.getType('Thing') as GraphQLObjectType;
    expect([query.thing, query.things, query.plain, built.getMutationType()!.getFields().write].map((f) => isBudgeted(f!.resolve))).toEqual([true, true, true, true]);
    const own = thing.getFields();
    expect({ name: isBudgeted(own.name!.resolve), fetched: isBudgeted(own.fetched!.resolve), tags: isBudgeted(own.tags!.resolve), free: isBudgeted(own.free!.resolve) }).toEqual({ name: false, fetched: true, tags: true, free: false });
  });

  it('refuses a free entry that names no field, or a root field', () => {
    expect(() => withRequestBudget(makeExecutableSchema({ typeDefs: TYPE_DEFS, resolvers }), ['Thing.gone'])).toThrow(/FREE_FIELDS names Thing\.gone, which is not a field/);
    expect(() => withRequestBudget(makeExecutableSchema({ typeDefs: TYPE_DEFS, resolvers }), ['Query.plain'])).toThrow(/root field/);
  });

  it('counts the items of a default-resolved list, and a mutation is not cut at the deadline but its items count', async () => {
    const built = withRequestBudget(makeExecutableSchema({ typeDefs: TYPE_DEFS, resolvers }), []);
    const tags = (built.getType('Thing') as GraphQLObjectType).getFields().tags!.resolve!;
    const write = built.getMutationType()!.getFields().write!.resolve!;

    const small = { limits: { ...DEFAULT_QUERY_LIMITS, maxResultItems: 1 } };
    expect(() => tags({ tags: ['x', 'y'] }, {}, small, info('tags'))).toThrow(expect.objectContaining({ code: 'REQUEST_BUDGET_EXCEEDED' }));

    // A deadline of 1 ms passes while the write (30 ms) runs: the write still answers.
    const hasty = { limits: { ...DEFAULT_QUERY_LIMITS, deadlineMs: 1 } };
    await expect(write(undefined, {}, hasty, info('write'))).resolves.toEqual(['done']);
    disposeRequestBudget(hasty);
    const tight = { limits: { ...DEFAULT_QUERY_LIMITS, deadlineMs: 1, maxResultItems: 0 } };
    await expect(write(undefined, {}, tight, info('write'))).rejects.toMatchObject({ code: 'REQUEST_BUDGET_EXCEEDED' });
    disposeRequestBudget(tight);
  });
});
