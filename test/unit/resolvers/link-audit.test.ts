/**
 * One audit per request: aliases of `linkAudit` answer from the first one's promise. Vendor reads
 * were already shared within a request, but each alias ran the audit's rules again over every
 * link (the CPU behind issue 23's 47.8 s); here the audit itself is counted, by its page reads.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../../src/limits/query-limits.js';
import { disposeRequestBudget, requestBudget } from '../../../src/limits/request-budget.js';
import type { ExternalLink } from '../../../src/models.js';
import { linkAuditQueries } from '../../../src/resolvers/link-audit.js';

function provider(name: 'M3TER' | 'REVIO', reads: { count: number }, items: ExternalLink[] = []) {
  return {
    provider: name,
    tenant: name === 'M3TER' ? 'org-1' : 'client-1',
    bothProviders: [],
    linkPaging: { start: null, maxPages: 10 },
    async linkPages() {
      reads.count += 1;
      return async () => ({ items, next: undefined });
    },
  };
}

function context(reads: { count: number }, limits = DEFAULT_QUERY_LIMITS, links: ExternalLink[] = []) {
  return {
    requestId: 'r1',
    limits,
    providers: { m3ter: provider('M3TER', reads, links), revio: provider('REVIO', reads) },
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

/** m3ter links of `n` accounts to `n` Salesforce accounts, each claimed twice: work for every rule. */
function manyLinks(n: number): ExternalLink[] {
  return Array.from({ length: 2 * n }, (_, i) => ({
    provider: 'M3TER',
    nativeId: `m${i}`,
    tenant: 'org-1',
    internal: { system: 'm3ter', type: 'Account', id: `acc${i}` },
    external: { system: 'Salesforce', type: 'Account', id: `sf${i % n}` },
    version: 1,
    integrationConfigId: null,
    createdAt: null,
    updatedAt: null,
    createdBy: null,
    updatedBy: null,
  }));
}

describe('linkAudit: its own work stops at the deadline', () => {
  it('fails with REQUEST_TIMEOUT at the first yield past the deadline, rather than computing every finding', async () => {
    const request = context({ count: 0 }, { ...DEFAULT_QUERY_LIMITS, deadlineMs: 5 }, manyLinks(10_000));
    // The request's clock starts with its budget; the deadline passes before the rules start.
    requestBudget(request, request.limits);
    const started = Date.now();
    while (Date.now() - started < 10);
    await expect(audit(undefined, {}, request, {})).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    disposeRequestBudget(request);
  });

  it('computes every finding of the same links within the default deadline', async () => {
    const request = context({ count: 0 }, DEFAULT_QUERY_LIMITS, manyLinks(10_000));
    const answer = (await audit(undefined, {}, request, {})) as { linksRead: number; findings: unknown[] };
    expect(answer.linksRead).toBe(20_000);
    expect(answer.findings.length).toBeGreaterThanOrEqual(10_000);
    disposeRequestBudget(request);
  });
});
