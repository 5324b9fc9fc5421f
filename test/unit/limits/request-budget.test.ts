/**
 * The request's deadline reaches its vendor calls (issue #23, section 4): the budget a query's
 * first budgeted resolver creates writes the deadline onto the request's call count, which each
 * call's admission hands back (upstream-call-counter.ts); a call's own deadline is cut to it.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../../src/limits/query-limits.js';
import { disposeRequestBudget, requestBudget } from '../../../src/limits/request-budget.js';
import { withRequestBudget } from '../../../src/limits/with-request-budget.js';

describe('request budget: the deadline its vendor calls keep', () => {
  it("writes the request's deadline onto its call count once, when the budget starts", () => {
    const context = { upstreamCalls: {} as { deadlineAt?: number; deadlineMs?: number } };
    const before = Date.now();
    requestBudget(context, { ...DEFAULT_QUERY_LIMITS, deadlineMs: 5_000 });
    const deadlineAt = context.upstreamCalls.deadlineAt!;
    // And its length, which the REQUEST_TIMEOUT of a call it cuts names.
    expect(context.upstreamCalls.deadlineMs).toBe(5_000);
    expect(deadlineAt).toBeGreaterThanOrEqual(before + 5_000);
    expect(deadlineAt).toBeLessThanOrEqual(Date.now() + 5_000);
    // Asked again by later resolvers: the same budget, the same deadline.
    requestBudget(context, { ...DEFAULT_QUERY_LIMITS, deadlineMs: 60_000 });
    expect(context.upstreamCalls.deadlineAt).toBe(deadlineAt);
    disposeRequestBudget(context);
  });

  it('has the deadline in place before the first budgeted resolver starts its calls; a mutation leaves its calls to their own deadlines', async () => {
    const seen: Record<string, number | undefined> = {};
    const schema = withRequestBudget(
      makeExecutableSchema({
        typeDefs: 'type Query { entity: Int } type Mutation { write: Int }',
        resolvers: {
          Query: { entity: (_p: unknown, _a: unknown, context: { upstreamCalls: { deadlineAt?: number } }) => ((seen.query = context.upstreamCalls.deadlineAt), Promise.resolve(1)) },
          Mutation: { write: (_p: unknown, _a: unknown, context: { upstreamCalls: { deadlineAt?: number } }) => ((seen.mutation = context.upstreamCalls.deadlineAt), Promise.resolve(2)) },
        },
      }),
      [],
    );
    for (const [kind, document] of [['query', '{ entity }'], ['mutation', 'mutation { write }']] as const) {
      const context = { limits: { ...DEFAULT_QUERY_LIMITS, deadlineMs: 5_000 }, upstreamCalls: {} as { deadlineAt?: number } };
      const result = await execute({ schema, document: parse(document), contextValue: context });
      expect(result.errors).toBeUndefined();
      if (kind === 'query') expect(seen.query).toBeGreaterThan(0);
      else expect(seen.mutation).toBeUndefined();
      disposeRequestBudget(context);
    }
  });
});
