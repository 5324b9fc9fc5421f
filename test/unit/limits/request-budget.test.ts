/**
 * The request's deadline reaches its vendor calls (issue #23, section 4): the budget a query's
 * first budgeted resolver creates writes the deadline onto the request's call count, which each
 * call's admission hands back (upstream-call-counter.ts); a call's own deadline is cut to it.
 */
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

  it('has the deadline in place before the first budgeted resolver starts its calls', async () => {
    const context = { limits: { ...DEFAULT_QUERY_LIMITS, deadlineMs: 5_000 }, upstreamCalls: {} as { deadlineAt?: number } };
    let seen: number | undefined;
    const resolvers = withRequestBudget({ Query: { entity: () => ((seen = context.upstreamCalls.deadlineAt), Promise.resolve(null)) } }, ['Query.entity']);
    await (resolvers.Query.entity as (...args: unknown[]) => Promise<unknown>)(undefined, {}, context, {});
    expect(seen).toBeGreaterThan(0);
    disposeRequestBudget(context);
  });
});
