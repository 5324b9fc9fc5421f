/**
 * One audit per request: aliases of `linkAudit` answer from the first one's promise. Vendor reads
 * were already shared within a request, but each alias ran the audit's rules again over every
 * link (the CPU behind issue 23's 47.8 s); here the audit itself is counted, by its page reads.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../../src/limits/query-limits.js';
import { disposeRequestBudget } from '../../../src/limits/request-budget.js';
import { linkAuditQueries } from '../../../src/resolvers/link-audit.js';

function provider(name: 'M3TER' | 'REVIO', reads: { count: number }) {
  return {
    provider: name,
    tenant: name === 'M3TER' ? 'org-1' : 'client-1',
    bothProviders: [],
    linkPaging: { start: null, maxPages: 10 },
    async linkPages() {
      reads.count += 1;
      return async () => ({ items: [], next: undefined });
    },
  };
}

function context(reads: { count: number }) {
  return {
    requestId: 'r1',
    limits: DEFAULT_QUERY_LIMITS,
    providers: { m3ter: provider('M3TER', reads), revio: provider('REVIO', reads) },
    loaders: { allEntities: { get: async () => [] } },
  };
}

const audit = linkAuditQueries.linkAudit as unknown as (root: unknown, args: unknown, context: unknown, info: unknown) => Promise<unknown>;

describe('linkAudit: one audit per request', () => {
  it('reads each provider once for two aliases in one request, and again for the next request', async () => {
    const reads = { count: 0 };
    const request = context(reads);
    const [a, b] = await Promise.all([audit(undefined, {}, request, {}), audit(undefined, {}, request, {})]);
    expect(b).toBe(a);
    expect(reads.count).toBe(2);

    const next = context(reads);
    await audit(undefined, {}, next, {});
    expect(reads.count).toBe(4);
    disposeRequestBudget(request);
    disposeRequestBudget(next);
  });
});
