// A write adopts only what it can prove it made, and a compensation deletes only that. After an
// unknown outcome the gateway searches the vendor for "the same link"; a link that was there
// before the first attempt (seeded here) must never be taken for this write's, by the vendor
// client's own retry or by a replay of the clientMutationId. Effects are counted in the sandbox.
import { beforeEach, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';
import { readAll } from '../helpers/read-links.js';

const PART = 'provider outcome code message link { id nativeId }';
const LINK_EVERYWHERE = `mutation($externalId: String!, $m3terId: String!, $revioId: String!, $m: String) {
  linkEverywhere(input: {
    externalSystem: "Salesforce", externalId: $externalId, clientMutationId: $m,
    m3ter: { internalType: "Account", internalId: $m3terId, externalTable: "Account" },
    revio: { internalType: "CUSTOMER", internalId: $revioId }
  }) { status m3ter { ${PART} } revio { ${PART} } remaining { id provider } }
}`;
const REVIO_ONLY = `mutation($externalId: String!, $revioId: String!, $m: String) {
  linkEverywhere(input: { externalSystem: "Salesforce", externalId: $externalId, clientMutationId: $m, revio: { internalType: "CUSTOMER", internalId: $revioId } }) { status }
}`;
const CREATE_M3TER = `mutation($internalId: String!, $externalId: String!) {
  createExternalLink(input: { provider: M3TER, internalType: "Account", internalId: $internalId, externalSystem: "Salesforce", externalTable: "Account", externalId: $externalId }) { externalLink { nativeId } }
}`;
const CREATE_REVIO = `mutation($internalId: String!, $externalId: String!, $m: String) {
  createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: $internalId, externalSystem: "Salesforce", externalId: $externalId, clientMutationId: $m }) { externalLink { nativeId } }
}`;

const gateway = withGateway({ resilience: { attemptTimeoutMs: 300, deadlineMs: 3000 } });
beforeEach(() => gateway.sandbox.reset());

const m3ter = () => gateway.upstreams.m3ter.providerFor(gateway.sandbox.tenants.m3ter[0]!.orgId)!;
const revio = () => gateway.upstreams.revio.providerFor(gateway.sandbox.tenants.revio[0]!.clientCode)!;
const m3terAccount = () => gateway.sandbox.fixtures.facts.companies[0]!.customers[5]!.m3terAccountId;

async function stored(externalId: string): Promise<{ m3ter: string[]; revio: string[] }> {
  const [m, r] = await Promise.all([readAll(m3ter(), { externalSystem: 'Salesforce', externalTable: 'Account', externalId }), readAll(revio(), { externalSystem: 'SALESFORCE', externalId })]);
  return { m3ter: m.map((l) => l.nativeId), revio: r.map((l) => l.nativeId).sort() };
}

/** Vendor writes since `mark`, answered or not (token calls aside). */
function writes(mark: number, vendor: 'm3ter' | 'revio', method: 'POST' | 'PUT' | 'DELETE'): number {
  return gateway.sandbox.ledger.list({ sinceSeq: mark, vendor, method }).filter((e) => !/oauth|token/i.test(e.path)).length;
}

async function seed(query: string, variables: Record<string, unknown>): Promise<string> {
  const result = await gateway.execute(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.createExternalLink.externalLink.nativeId as string;
}

const M3TER_POST_503_ONCE = { rules: [{ kind: 'server-error' as const, status: 503 as const, match: { method: 'POST', path: '/externalmappings$' }, times: 1 }] };
const REVIO_POST_REFUSED = { rules: [{ kind: 'rate-limited' as const, match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' }, retryAfterS: null }] };

describe('linkEverywhere never compensates a link it did not make', () => {
  it('leaves a seeded identical m3ter mapping alone after a transient 503 on the POST and a refused Rev.io part', async () => {
    const seeded = await seed(CREATE_M3TER, { internalId: m3terAccount(), externalId: '0012D0000ADOPT01' });
    gateway.sandbox.setFaults('m3ter', M3TER_POST_503_ONCE);
    gateway.sandbox.setFaults('revio', REVIO_POST_REFUSED);
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(LINK_EVERYWHERE, { externalId: '0012D0000ADOPT01', m3terId: m3terAccount(), revioId: '9000', m: 'adopt-1' });
    // The mapping was there before: not this mutation's, so the m3ter part made nothing (m3ter holds one).
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(`(${seeded}) is not one this create can prove it made`) });
    expect(result.data?.linkEverywhere).toBeUndefined();
    expect(writes(mark, 'm3ter', 'DELETE')).toBe(0);
    // Refused before the Rev.io part: nothing was reached there.
    expect(writes(mark, 'revio', 'POST')).toBe(0);
    expect(await stored('0012D0000ADOPT01')).toEqual({ m3ter: [seeded], revio: [] });
  });

  it('a replay of an unknown Rev.io part does not adopt a seeded identical key link', async () => {
    const seeded = await seed(CREATE_REVIO, { internalId: '9001', externalId: '0012D0000ADOPT02' });
    // Every POST attempt goes unanswered and no search settles it: the part stays UNKNOWN.
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' } }] });
    const vars = { externalId: '0012D0000ADOPT02', m3terId: m3terAccount(), revioId: '9001', m: 'adopt-2' };
    const first = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(first.data!.linkEverywhere).toMatchObject({ status: 'INCOMPLETE', revio: { outcome: 'UNKNOWN' } });
    gateway.sandbox.clearFaults();
    const replay = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(replay.data!.linkEverywhere).toMatchObject({ status: 'LINKED', revio: { outcome: 'LINKED' } });
    // The replay's link is a new one, not the seeded one it found by searching.
    const ours = replay.data!.linkEverywhere.revio.link.nativeId as string;
    expect(ours).not.toBe(seeded);
    expect(await stored('0012D0000ADOPT02')).toEqual({ m3ter: [replay.data!.linkEverywhere.m3ter.link.nativeId], revio: [seeded, ours].sort() });
  });
});

describe('createExternalLink adopts only its own link', () => {
  it("Rev.io's retry after an unanswered POST does not take a seeded identical key link for its own", async () => {
    const seeded = await seed(CREATE_REVIO, { internalId: '9002', externalId: '0012D0000ADOPT03' });
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 503, match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' }, times: 1 }] });
    const created = await seed(CREATE_REVIO, { internalId: '9002', externalId: '0012D0000ADOPT03' });
    expect(created).not.toBe(seeded);
    expect((await stored('0012D0000ADOPT03')).revio).toEqual([seeded, created].sort());
  });

  it("m3ter's retry after a 503 refuses, rather than adopts, a seeded identical mapping", async () => {
    const seeded = await seed(CREATE_M3TER, { internalId: m3terAccount(), externalId: '0012D0000ADOPT04' });
    gateway.sandbox.setFaults('m3ter', M3TER_POST_503_ONCE);
    const result = await gateway.execute(CREATE_M3TER, { internalId: m3terAccount(), externalId: '0012D0000ADOPT04' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await stored('0012D0000ADOPT04')).m3ter).toEqual([seeded]);
  });
});

describe('a reused clientMutationId is refused before any vendor write', () => {
  it('first Rev.io-only, then with an m3ter part: IDEMPOTENCY_KEY_REUSED and no write at either vendor', async () => {
    const first = await gateway.execute(REVIO_ONLY, { externalId: '0012D0000REUSE01', revioId: '9003', m: 'reuse-1' });
    expect(first.data!.linkEverywhere.status).toBe('LINKED');
    const mark = gateway.sandbox.ledger.mark;
    const second = await gateway.execute(LINK_EVERYWHERE, { externalId: '0012D0000REUSE01', m3terId: m3terAccount(), revioId: '9003', m: 'reuse-1' });
    expect(second.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    for (const vendor of ['m3ter', 'revio'] as const) for (const method of ['POST', 'PUT', 'DELETE'] as const) expect(writes(mark, vendor, method)).toBe(0);
    expect((await stored('0012D0000REUSE01')).m3ter).toEqual([]);
  });

  it('first with both parts, then m3ter alone: refused with no write, and the first answer still replays', async () => {
    const vars = { externalId: '0012D0000REUSE02', m3terId: m3terAccount(), revioId: '9004', m: 'reuse-2' };
    const first = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(first.data!.linkEverywhere.status).toBe('LINKED');
    const mark = gateway.sandbox.ledger.mark;
    const other = await gateway.execute(`mutation { linkEverywhere(input: { externalSystem: "Salesforce", externalId: "0012D0000REUSE02", clientMutationId: "reuse-2", m3ter: { internalType: "Account", internalId: "${m3terAccount()}", externalTable: "Account" } }) { status } }`);
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(writes(mark, 'm3ter', 'POST') + writes(mark, 'revio', 'POST')).toBe(0);
    // The refused attempt gave back what it claimed: the first mutation's records are as they were.
    expect(await gateway.execute(LINK_EVERYWHERE, vars)).toEqual(first);
  });
});
