// linkEverywhere: one external record linked in m3ter and Rev.io by one mutation. Effects are
// counted in the sandbox (its ledger and stored links), faults injected between the two writes.
import { beforeEach, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';
import { readAll } from '../helpers/read-links.js';

const PART = 'provider outcome code message link { id nativeId internal { type id } external { system id } }';
const LINK_EVERYWHERE = `mutation($externalId: String!, $m3terId: String!, $revioId: String!, $m: String) {
  linkEverywhere(input: {
    externalSystem: "Salesforce", externalId: $externalId, clientMutationId: $m,
    m3ter: { internalType: "Account", internalId: $m3terId, externalTable: "Account" },
    revio: { internalType: "CUSTOMER", internalId: $revioId }
  }) { clientMutationId status m3ter { ${PART} } revio { ${PART} } remaining { id provider } }
}`;

const gateway = withGateway({ resilience: { attemptTimeoutMs: 300, deadlineMs: 3000 } });
beforeEach(() => gateway.sandbox.reset());

const m3ter = () => gateway.upstreams.m3ter.providerFor(gateway.sandbox.tenants.m3ter[0]!.orgId)!;
const revio = () => gateway.upstreams.revio.providerFor(gateway.sandbox.tenants.revio[0]!.clientCode)!;
const m3terAccount = () => gateway.sandbox.fixtures.facts.companies[0]!.customers[5]!.m3terAccountId;

/** The links each vendor stores now for the external id, read from the vendors. */
async function stored(externalId: string): Promise<{ m3ter: string[]; revio: string[] }> {
  const [m, r] = await Promise.all([readAll(m3ter(), { externalSystem: 'Salesforce', externalTable: 'Account', externalId }), readAll(revio(), { externalSystem: 'SALESFORCE', externalId })]);
  return { m3ter: m.map((l) => l.nativeId), revio: r.map((l) => l.nativeId) };
}

/** Writes a vendor applied since `mark` (2xx), by method. */
function applied(mark: number, vendor: 'm3ter' | 'revio', method: 'POST' | 'DELETE'): number {
  return gateway.sandbox.ledger.list({ sinceSeq: mark, vendor, method }).filter((e) => e.status >= 200 && e.status < 300 && !/oauth/.test(e.path)).length;
}

describe('linkEverywhere: both parts', () => {
  it('links the record in m3ter and Rev.io, and a replay answers the same with no second write', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const vars = { externalId: '0012D0000EVERY01', m3terId: m3terAccount(), revioId: '9000', m: 'everywhere-1' };
    const first = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(first.errors).toBeUndefined();
    const answer = first.data!.linkEverywhere;
    expect(answer).toMatchObject({ clientMutationId: 'everywhere-1', status: 'LINKED', m3ter: { outcome: 'LINKED', code: null }, revio: { outcome: 'LINKED', code: null } });
    expect(answer.remaining).toHaveLength(2);
    expect(await stored('0012D0000EVERY01')).toEqual({ m3ter: [answer.m3ter.link.nativeId], revio: [answer.revio.link.nativeId] });
    const replays = await Promise.all(Array.from({ length: 5 }, () => gateway.execute(LINK_EVERYWHERE, vars)));
    for (const replay of replays) expect(replay).toEqual(first);
    expect([applied(mark, 'm3ter', 'POST'), applied(mark, 'revio', 'POST')]).toEqual([1, 1]);
  });

  it('refuses a malformed part before any write: nothing is linked anywhere', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const result = await gateway.execute(LINK_EVERYWHERE, { externalId: '0012D0000EVERY02', m3terId: m3terAccount(), revioId: 'not-a-number' });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect([applied(mark, 'm3ter', 'POST'), applied(mark, 'revio', 'POST')]).toEqual([0, 0]);
  });

  it('refuses the same clientMutationId with another input, before any call', async () => {
    await gateway.execute(LINK_EVERYWHERE, { externalId: '0012D0000EVERY03', m3terId: m3terAccount(), revioId: '9000', m: 'reused' });
    const mark = gateway.sandbox.ledger.mark;
    const other = await gateway.execute(LINK_EVERYWHERE, { externalId: '0012D0000EVERY04', m3terId: m3terAccount(), revioId: '9000', m: 'reused' });
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(applied(mark, 'm3ter', 'POST') + applied(mark, 'revio', 'POST')).toBe(0);
  });
});

describe('linkEverywhere: the Rev.io write fails after the m3ter one succeeded', () => {
  const refuseRevioPosts = () =>
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' }, retryAfterS: null }] });

  it('deletes the m3ter link again and says so; a replay answers COMPENSATED again without writing', async () => {
    refuseRevioPosts();
    const mark = gateway.sandbox.ledger.mark;
    const vars = { externalId: '0012D0000EVERY10', m3terId: m3terAccount(), revioId: '9001', m: 'compensated' };
    const first = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(first.errors).toBeUndefined();
    expect(first.data!.linkEverywhere).toMatchObject({
      status: 'COMPENSATED',
      m3ter: { outcome: 'COMPENSATED', link: null },
      revio: { outcome: 'FAILED', code: 'UPSTREAM_RATE_LIMITED', link: null },
      remaining: [],
    });
    expect(await stored('0012D0000EVERY10')).toEqual({ m3ter: [], revio: [] });
    expect([applied(mark, 'm3ter', 'POST'), applied(mark, 'm3ter', 'DELETE')]).toEqual([1, 1]);

    gateway.sandbox.clearFaults();
    const replayMark = gateway.sandbox.ledger.mark;
    const replay = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(replay.data!.linkEverywhere).toMatchObject({ status: 'COMPENSATED', m3ter: { outcome: 'COMPENSATED' }, revio: { outcome: 'FAILED' }, remaining: [] });
    expect(applied(replayMark, 'm3ter', 'POST') + applied(replayMark, 'revio', 'POST') + applied(replayMark, 'm3ter', 'DELETE')).toBe(0);
    expect(await stored('0012D0000EVERY10')).toEqual({ m3ter: [], revio: [] });
  });

  it('says exactly which m3ter link remains when the compensating delete fails too', async () => {
    refuseRevioPosts();
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 500, match: { method: 'DELETE' } }] });
    const result = await gateway.execute(LINK_EVERYWHERE, { externalId: '0012D0000EVERY20', m3terId: m3terAccount(), revioId: '9002', m: 'stuck' });
    expect(result.errors).toBeUndefined();
    const answer = result.data!.linkEverywhere;
    expect(answer).toMatchObject({ status: 'INCOMPLETE', m3ter: { outcome: 'LINKED', code: 'UPSTREAM_UNAVAILABLE' }, revio: { outcome: 'FAILED', code: 'UPSTREAM_RATE_LIMITED' } });
    expect(answer.remaining).toEqual([{ id: answer.m3ter.link.id, provider: 'M3TER' }]);
    expect(answer.m3ter.message).toContain(answer.m3ter.link.id);
    expect(answer.m3ter.message).toContain(answer.m3ter.link.nativeId);
    expect(await stored('0012D0000EVERY20')).toEqual({ m3ter: [answer.m3ter.link.nativeId], revio: [] });
  });

  it('writes an audit line that says incomplete and names the m3ter link that remains', async () => {
    refuseRevioPosts();
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 500, match: { method: 'DELETE' } }] });
    const answer = await gateway.post(LINK_EVERYWHERE, { variables: { externalId: '0012D0000EVERY21', m3terId: m3terAccount(), revioId: '9012', m: 'stuck-audited' }, headers: { 'x-request-id': 'everywhere-audit-1' } });
    const payload = answer.body.data.linkEverywhere;
    expect(payload.status).toBe('INCOMPLETE');
    const lines = gateway.logs().filter((line) => line.log === 'audit' && line.requestId === 'everywhere-audit-1');
    expect(lines).toEqual([expect.objectContaining({ operation: 'linkEverywhere', outcome: 'incomplete', errorCode: 'UPSTREAM_UNAVAILABLE', idempotencyKey: 'stuck-audited', targets: expect.objectContaining({ 'm3ter.id': payload.m3ter.link.id }) })]);
    expect(lines[0]!.targets['revio.id']).toBeUndefined();
  });

  it('leaves an unknown Rev.io outcome to the replay, which finds the key link by searching instead of posting again', async () => {
    gateway.sandbox.setFaults('revio', {
      rules: [
        { kind: 'apply-then-hang', match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' }, times: 1, hangMs: 1000 },
        // The search that would settle it fails too (after the POST: the read before it is served): the outcome stays unknown.
        { kind: 'server-error', status: 503, match: { method: 'GET', path: '^/v1/IntegrationKeyLink' }, times: 3, after: 0 },
      ],
    });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { externalId: '0012D0000EVERY30', m3terId: m3terAccount(), revioId: '9003', m: 'unknown' };
    const first = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(first.data!.linkEverywhere).toMatchObject({ status: 'INCOMPLETE', m3ter: { outcome: 'LINKED' }, revio: { outcome: 'UNKNOWN', code: 'UPSTREAM_TIMEOUT' } });
    // Not compensated: the Rev.io link may exist.
    expect(applied(mark, 'm3ter', 'DELETE')).toBe(0);

    gateway.sandbox.clearFaults();
    const replay = await gateway.execute(LINK_EVERYWHERE, vars);
    expect(replay.data!.linkEverywhere).toMatchObject({ status: 'LINKED', m3ter: { outcome: 'LINKED' }, revio: { outcome: 'LINKED' } });
    expect(replay.data!.linkEverywhere.m3ter.link).toEqual(first.data!.linkEverywhere.m3ter.link);
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'POST' }).map((e) => `${e.fault} ${e.status}`)).toEqual(['apply-then-hang 201']);
    expect(await stored('0012D0000EVERY30')).toEqual({ m3ter: [replay.data!.linkEverywhere.m3ter.link.nativeId], revio: [replay.data!.linkEverywhere.revio.link.nativeId] });
  });
});

describe('linkEverywhere: one part', () => {
  it('links in Rev.io alone when only the Rev.io part is given', async () => {
    const result = await gateway.execute(`mutation { linkEverywhere(input: { externalSystem: "SALESFORCE", externalId: "0012D0000EVERY40", revio: { internalType: "CUSTOMER", internalId: "9004" } }) { status m3ter { outcome } revio { outcome } remaining { provider } } }`);
    expect(result.data!.linkEverywhere).toEqual({ status: 'LINKED', m3ter: { outcome: 'NOT_ATTEMPTED' }, revio: { outcome: 'LINKED' }, remaining: [{ provider: 'REVIO' }] });
  });

  it('refuses neither part with BAD_USER_INPUT', async () => {
    const result = await gateway.execute(`mutation { linkEverywhere(input: { externalSystem: "SALESFORCE", externalId: "x" }) { status } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
