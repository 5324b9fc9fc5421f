// The link audit over the seeded sandbox: it finds exactly the findings the seed holds on
// purpose (sandbox/fixtures: facts.conflicts and each company's `audit`), and no others.
import { describe, expect, it } from 'vitest';
import { withGateway, type TestGateway } from '../helpers/gateway.js';

const AUDIT = `{ linkAudit { m3terOrg revioClient linksRead findings { kind severity reason links { provider nativeId internal { id } external { system id } } } } }`;

interface Finding {
  kind: string;
  severity: string;
  reason: string;
  links: { provider: string; nativeId: string; internal: { id: string }; external: { system: string; id: string } }[];
}

/** Each finding as "kind severity provider:internal→external …", sorted: what the seed says must be found. */
function summary(findings: Finding[]): string[] {
  return findings
    .map((f) => `${f.kind} ${f.severity} ${f.links.map((l) => `${l.provider}:${l.internal.id}→${l.external.id}`).sort().join(' ')}`)
    .sort();
}

function expected(gateway: TestGateway, company: number, oneSided: boolean): string[] {
  const facts = gateway.sandbox.fixtures.facts.companies[company]!;
  const { customers, audit } = facts;
  const m3terClaimant = gateway.sandbox.fixtures.m3ter.orgs[company]!.mappings.find((m) => m.externalId === customers[0]!.salesforceAccountId && m.m3terId !== customers[0]!.m3terAccountId)!;
  const s0 = customers[0]!.salesforceAccountId;
  const s1 = customers[1]!.salesforceAccountId;
  const rows = [
    `SPLIT ERROR ${[`M3TER:${customers[0]!.m3terAccountId}→${s0}`, `M3TER:${m3terClaimant.m3terId}→${s0}`].sort().join(' ')}`,
    `SPLIT ERROR ${[`REVIO:${customers[1]!.revioCustomerId}→${s1}`, `REVIO:900→${s1}`].sort().join(' ')}`,
    `DUPLICATE WARNING REVIO:${audit.duplicate.revioCustomerId}→${audit.duplicate.salesforceAccountId} REVIO:${audit.duplicate.revioCustomerId}→${audit.duplicate.salesforceAccountId}`,
    `DISAGREEMENT ERROR M3TER:${audit.disagreement.m3terAccountId}→${audit.disagreement.salesforceAccountId} REVIO:${audit.disagreement.revioCustomerId}→${audit.disagreement.salesforceAccountId}`,
    `DANGLING ERROR M3TER:${audit.dangling.m3terAccountId}→${audit.dangling.zuoraEntityId}`,
  ];
  if (oneSided) rows.push(`ONE_SIDED WARNING M3TER:${audit.oneSided.m3terAccountId}→${audit.oneSided.salesforceAccountId}`);
  return rows.sort();
}

describe('linkAudit: the default seed', () => {
  const gateway = withGateway();

  it('finds exactly the seeded SPLIT (one per provider), DUPLICATE, DISAGREEMENT and DANGLING links', async () => {
    const result = await gateway.execute(AUDIT);
    expect(result.errors).toBeUndefined();
    const audit = result.data!.linkAudit;
    expect(audit.revioClient).toBe(gateway.sandbox.fixtures.facts.companies[0]!.revio.clientCode);
    expect(summary(audit.findings)).toEqual(expected(gateway, 0, false));
    expect(audit.findings.every((f: Finding) => f.reason.length > 0 && !f.reason.includes('\n'))).toBe(true);
  });

  it('audits the tenant the request acts for: the second company has its own findings', async () => {
    const facts = gateway.sandbox.fixtures.facts.companies[1]!;
    const headers = { 'interlink-m3ter-org': facts.m3ter.orgId, 'interlink-revio-client': facts.revio.clientCode, 'interlink-zuora-entity': facts.zuora.rootEntityId };
    const result = await gateway.execute(AUDIT, {}, headers);
    expect(result.errors).toBeUndefined();
    expect(result.data!.linkAudit.m3terOrg).toBe(facts.m3ter.orgId);
    expect(summary(result.data!.linkAudit.findings)).toEqual(expected(gateway, 1, false));
  });

  it('reads every page of both providers: a link added at the far end is audited too', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(AUDIT);
    const m3ter = gateway.sandbox.fixtures.m3ter.orgs[0]!.mappings.length;
    const revio = gateway.sandbox.fixtures.revio.clients[0]!.keyLinks.length;
    expect(result.data!.linkAudit.linksRead).toBe(m3ter + revio);
    // One page each at the vendors' largest page sizes (m3ter 200, Rev.io 500), and the Zuora entity list.
    expect(gateway.calls(mark, { vendor: 'm3ter' })).toBe(Math.ceil(m3ter / 200));
    expect(gateway.calls(mark, { vendor: 'revio' })).toBe(Math.ceil(revio / 500));
  });
});

describe('linkAudit: ONE_SIDED where the tenant declares Salesforce in both providers', () => {
  const gateway = withGateway(() => ({ env: { INTERLINK_REVIO_AUDIT_BOTH_PROVIDERS: 'acmetel=SALESFORCE' } }));

  it('adds the one Salesforce account linked in m3ter alone, and nothing for the tenant that declared nothing', async () => {
    const result = await gateway.execute(AUDIT);
    expect(summary(result.data!.linkAudit.findings)).toEqual(expected(gateway, 0, true));
    const facts = gateway.sandbox.fixtures.facts.companies[1]!;
    const other = await gateway.execute(AUDIT, {}, { 'interlink-m3ter-org': facts.m3ter.orgId, 'interlink-revio-client': facts.revio.clientCode, 'interlink-zuora-entity': facts.zuora.rootEntityId });
    expect(summary(other.data!.linkAudit.findings)).toEqual(expected(gateway, 1, false));
  });
});

describe('linkAudit: a large seed, within its bounds', () => {
  const gateway = withGateway({ sandbox: { limits: 'off', size: 'medium' } });

  it('pages through every link and still finds exactly the seeded findings', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(AUDIT);
    expect(result.errors).toBeUndefined();
    expect(summary(result.data!.linkAudit.findings)).toEqual(expected(gateway, 0, false));
    expect(gateway.calls(mark, { vendor: 'm3ter' })).toBeGreaterThan(1);
  });
});

describe('linkAudit: bounded cost', () => {
  const keys = {
    admin: { key: 'ilk_test_audit_admin_key_0000000001', scopes: ['read' as const, 'write' as const] },
    small: { key: 'ilk_test_audit_small_key_0000000002', scopes: ['read' as const], limits: { maxVendorCalls: 2 } },
  };
  const gateway = withGateway({ keys });

  it('costs a handful of vendor calls for the seed, and is refused with REQUEST_BUDGET_EXCEEDED past a key\'s budget, having made no more calls than that', async () => {
    const full = gateway.sandbox.ledger.mark;
    const answer = await gateway.post(AUDIT, { key: keys.admin.key });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const calls = gateway.calls(full);
    // Every link of both providers, page by page, and the Zuora directory: well under the default budget of 400.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThan(40);

    const mark = gateway.sandbox.ledger.mark;
    const refused = await gateway.post(AUDIT, { key: keys.small.key });
    expect(refused.body.data?.linkAudit ?? null).toBeNull();
    expect(refused.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain('REQUEST_BUDGET_EXCEEDED');
    expect(gateway.calls(mark)).toBeLessThanOrEqual(2);
  });
});

describe('linkAudit: under the request budget (issue 23: 100 aliases ran 47.8 s each on the large seed)', () => {
  const keys = {
    admin: { key: 'ilk_test_audit_budget_admin_00000000001', scopes: ['read' as const] },
    bulk: { key: 'ilk_test_audit_budget_bulk_000000000002', scopes: ['read' as const], limits: { maxCost: 100_000_000 } },
    tiny: { key: 'ilk_test_audit_budget_tiny_000000000003', scopes: ['read' as const], limits: { maxResultItems: 3 } },
    hasty: { key: 'ilk_test_audit_budget_hasty_00000000004', scopes: ['read' as const], limits: { deadlineMs: 300 } },
  };
  const gateway = withGateway({ keys });
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: linkAudit { linksRead findings { kind } }`).join(' ')} }`;
  const codes = (body: { errors?: { extensions: { code: string } }[] }) => [...new Set((body.errors ?? []).map((e) => e.extensions.code))];

  it('refuses 100 aliases up front by cost, with no vendor call', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const refused = await gateway.post(aliases(100), { key: keys.admin.key });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost' });
    expect(gateway.calls(mark)).toBe(0);
  });

  it('answers a hundred aliases under a raised cost limit with one audit, for one audit\'s vendor calls', async () => {
    // What the process keeps (Rev.io's catalog, m3ter's configuration) is read by the first; count from the second.
    await gateway.post(aliases(1), { key: keys.admin.key });
    const one = gateway.sandbox.ledger.mark;
    const single = await gateway.post(aliases(1), { key: keys.admin.key });
    expect(single.body.errors).toBeUndefined();
    const calls = gateway.calls(one);

    const two = gateway.sandbox.ledger.mark;
    const pair = await gateway.post(aliases(2), { key: keys.admin.key });
    expect(pair.body.errors).toBeUndefined();
    expect(pair.body.data.a1).toEqual(pair.body.data.a0);
    expect(gateway.calls(two)).toBe(calls);

    const hundred = gateway.sandbox.ledger.mark;
    const many = await gateway.post(aliases(100), { key: keys.bulk.key });
    expect(many.body.errors).toBeUndefined();
    expect(many.body.data.a99).toEqual(single.body.data.a0);
    expect(gateway.calls(hundred)).toBe(calls);
  });

  it('counts the findings against the item budget', async () => {
    const answer = await gateway.post(aliases(1), { key: keys.tiny.key });
    expect(answer.body.data?.a0 ?? null).toBeNull();
    expect(codes(answer.body)).toEqual(['REQUEST_BUDGET_EXCEEDED']);
  });

  it('answers REQUEST_TIMEOUT at the deadline instead of waiting for a slow vendor', async () => {
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'latency', latencyMs: 2_000 }] });
    try {
      const answer = await gateway.post(aliases(1), { key: keys.hasty.key });
      expect(answer.body.data?.a0 ?? null).toBeNull();
      expect(codes(answer.body)).toEqual(['REQUEST_TIMEOUT']);
    } finally {
      gateway.sandbox.setFaults('m3ter', { rules: [] });
    }
  });
});
