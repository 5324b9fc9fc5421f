// Exactly-once m3ter writes with clientMutationId: effects are counted in the
// sandbox (its ledger and its stored mappings), never from the gateway's answers.
import { readAll } from '../helpers/read-links.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const LINK = 'id nativeId version internal { type id } external { system type id }';
const CREATE = `mutation($internalId: String!, $externalId: String!, $m: String) {
  createExternalLink(input: { provider: M3TER, internalType: "Account", internalId: $internalId, externalSystem: "salesforce", externalTable: "Account", externalId: $externalId, clientMutationId: $m }) {
    clientMutationId externalLink { ${LINK} }
  }
}`;
const UPDATE = `mutation($id: ID!, $v: Int, $externalId: String, $m: String) { updateExternalLink(input: { id: $id, expectedVersion: $v, externalId: $externalId, clientMutationId: $m }) { clientMutationId externalLink { ${LINK} } } }`;
const DELETE = 'mutation($id: ID!, $m: String) { deleteExternalLink(input: { id: $id, clientMutationId: $m }) { clientMutationId deletedId } }';

const MAPPINGS = /\/externalmappings(\/|$)/;

const gateway = withGateway({ resilience: { attemptTimeoutMs: 300, deadlineMs: 3000 } });
let accountId: string;
beforeAll(async () => {
  // Short attempts: a hung vendor call is given up after 300 ms, well before the 1 s hang ends.
  accountId = gateway.sandbox.fixtures.facts.companies[0]!.customers[2]!.m3terAccountId;
});
beforeEach(async () => {
  gateway.sandbox.reset();
  // The reset expired the client's token: renew it now, so no fault below meets a 403 instead of the write.
  await m3ter().probe({ requestId: 'warm-up' });
});

const m3ter = () => gateway.upstreams.m3ter.providerFor(gateway.sandbox.tenants.m3ter[0]!.orgId)!;

/** Mapping ids stored upstream for this account and external id, read from m3ter (every page). */
async function storedWith(externalId: string): Promise<string[]> {
  const all = await readAll(m3ter(), { internalType: 'Account', internalId: accountId });
  return all.filter((link) => link.external.id === externalId).map((link) => link.nativeId);
}

/** Writes m3ter applied since `mark` (2xx, answered or not), by method. */
function applied(mark: number, method: 'POST' | 'PUT' | 'DELETE'): number {
  return gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter', method, path: MAPPINGS }).filter((e) => e.status >= 200 && e.status < 300).length;
}

/** Every POST of a mapping since `mark`, as `fault status`. */
function posts(mark: number): string[] {
  return gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter', method: 'POST', path: MAPPINGS }).map((e) => `${e.fault ?? ''} ${e.status}`.trim());
}

async function newLink(externalId: string): Promise<{ id: string; nativeId: string; version: number }> {
  const created = await gateway.execute(CREATE, { internalId: accountId, externalId });
  expect(created.errors).toBeUndefined();
  return created.data!.createExternalLink.externalLink;
}

describe('m3ter createExternalLink with clientMutationId', () => {
  it('answers a replay with the original mapping instead of BAD_USER_INPUT, with one POST', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: accountId, externalId: '006EXACT01', m: 'm3ter-once' };
    const first = await gateway.execute(CREATE, vars);
    const second = await gateway.execute(CREATE, vars);
    expect(first.errors).toBeUndefined();
    expect(second).toEqual(first);
    expect(applied(mark, 'POST')).toBe(1);
    expect(await storedWith('006EXACT01')).toEqual([first.data!.createExternalLink.externalLink.nativeId]);
  });

  it('creates one mapping for ten concurrent duplicates, and all ten get the same answer', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: accountId, externalId: '006EXACT10', m: 'm3ter-ten' };
    const results = await Promise.all(Array.from({ length: 10 }, () => gateway.execute(CREATE, vars)));
    expect(results[0]!.errors).toBeUndefined();
    for (const result of results) expect(result).toEqual(results[0]);
    expect(applied(mark, 'POST')).toBe(1);
    expect(await storedWith('006EXACT10')).toHaveLength(1);
  });

  it('refuses the same clientMutationId with another input, before any call', async () => {
    await gateway.execute(CREATE, { internalId: accountId, externalId: '006EXACT20', m: 'm3ter-reused' });
    const mark = gateway.sandbox.ledger.mark;
    const other = await gateway.execute(CREATE, { internalId: accountId, externalId: '006EXACT21', m: 'm3ter-reused' });
    expect(other.errors?.[0]?.extensions).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(gateway.calls(mark)).toBe(0);
  });

  it('creates one mapping when the POST is applied and then hangs', async () => {
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST', path: '/externalmappings$' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: accountId, externalId: '006EXACT30', m: 'm3ter-hung-create' };
    const first = await gateway.execute(CREATE, vars);
    expect(first.errors).toBeUndefined();
    expect(await gateway.execute(CREATE, vars)).toEqual(first);
    expect(posts(mark)).toEqual(['apply-then-hang 200']);
    expect(await storedWith('006EXACT30')).toEqual([first.data!.createExternalLink.externalLink.nativeId]);
  });

  it('keeps an unsettled outcome as unknown, and the replay finds the mapping by reading before posting', async () => {
    gateway.sandbox.setFaults('m3ter', {
      rules: [
        { kind: 'apply-then-hang', match: { method: 'POST', path: '/externalmappings$' }, times: 1, hangMs: 1000 },
        // The search that would settle it fails too (after the POST: the read before it is served): the outcome stays unknown.
        { kind: 'server-error', status: 503, match: { method: 'GET', path: '/externalmappings/external/' }, times: 3, after: 0 },
      ],
    });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: accountId, externalId: '006EXACT40', m: 'm3ter-unknown-create' };
    const first = await gateway.execute(CREATE, vars);
    expect(first.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_(TIMEOUT|UNAVAILABLE)$/);
    gateway.sandbox.clearFaults();
    const replay = await gateway.execute(CREATE, vars);
    expect(replay.errors).toBeUndefined();
    // The only POST is the one applied before the hang: the replay found its mapping by reading.
    expect(posts(mark)).toEqual(['apply-then-hang 200']);
    expect(await storedWith('006EXACT40')).toEqual([replay.data!.createExternalLink.externalLink.nativeId]);
  });

  it('answers NOT_FOUND, without making it again, when the created mapping was deleted since', async () => {
    const vars = { internalId: accountId, externalId: '006EXACT50', m: 'm3ter-then-deleted' };
    const first = await gateway.execute(CREATE, vars);
    await gateway.execute(DELETE, { id: first.data!.createExternalLink.externalLink.id });
    const mark = gateway.sandbox.ledger.mark;
    const replay = await gateway.execute(CREATE, vars);
    expect(replay.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/no longer exists \(deleted since\)/) });
    expect(applied(mark, 'POST')).toBe(0);
    expect(await storedWith('006EXACT50')).toEqual([]);
  });
});

describe('m3ter updateExternalLink with clientMutationId', () => {
  it('replays an update as stored now (version 2), not a CONFLICT, with one PUT', async () => {
    const link = await newLink('006UPD001');
    const mark = gateway.sandbox.ledger.mark;
    const vars = { id: link.id, v: 1, externalId: '006UPD002', m: 'm3ter-update' };
    const first = await gateway.execute(UPDATE, vars);
    const replays = await Promise.all(Array.from({ length: 10 }, () => gateway.execute(UPDATE, vars)));
    expect(first.data!.updateExternalLink.externalLink).toMatchObject({ version: 2, external: { id: '006UPD002' } });
    for (const replay of replays) expect(replay).toEqual(first);
    expect(applied(mark, 'PUT')).toBe(1);
  });

  it('updates once when the PUT is applied and then hangs', async () => {
    const link = await newLink('006UPD010');
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'apply-then-hang', match: { method: 'PUT' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { id: link.id, v: 1, externalId: '006UPD011', m: 'm3ter-hung-update' };
    const first = await gateway.execute(UPDATE, vars);
    expect(first.errors).toBeUndefined();
    expect(first.data!.updateExternalLink.externalLink).toMatchObject({ version: 2, external: { id: '006UPD011' } });
    expect(await gateway.execute(UPDATE, vars)).toEqual(first);
    expect(applied(mark, 'PUT')).toBe(1);
    expect(await m3ter().link(link.nativeId, { requestId: 'check' })).toMatchObject({ version: 2 });
  });

  it('settles an update whose outcome stayed unknown by reading the version on the replay, without a second PUT', async () => {
    const link = await newLink('006UPD020');
    gateway.sandbox.setFaults('m3ter', {
      rules: [
        { kind: 'apply-then-hang', match: { method: 'PUT' }, times: 1, hangMs: 1000 },
        // Every later attempt fails too: the call ends with its outcome unknown.
        { kind: 'server-error', status: 503, match: { method: 'PUT' } },
      ],
    });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { id: link.id, v: 1, externalId: '006UPD021', m: 'm3ter-unknown-update' };
    const first = await gateway.execute(UPDATE, vars);
    expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    gateway.sandbox.clearFaults();
    const afterFirst = gateway.sandbox.ledger.mark;
    const replay = await gateway.execute(UPDATE, vars);
    expect(replay.errors).toBeUndefined();
    expect(replay.data!.updateExternalLink.externalLink).toMatchObject({ version: 2, external: { id: '006UPD021' } });
    // The PUT applied before the hang is the only one applied, and the replay sent none.
    expect(applied(mark, 'PUT')).toBe(1);
    expect(gateway.sandbox.ledger.list({ sinceSeq: afterFirst, vendor: 'm3ter', method: 'PUT' })).toEqual([]);
  });

  it('still reports CONFLICT for a stale expectedVersion under a new clientMutationId', async () => {
    const link = await newLink('006UPD030');
    await gateway.execute(UPDATE, { id: link.id, v: 1, externalId: '006UPD031', m: 'first-writer' });
    const stale = await gateway.execute(UPDATE, { id: link.id, v: 1, externalId: '006UPD032', m: 'second-writer' });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('m3ter deleteExternalLink with clientMutationId', () => {
  it('reports success when the DELETE is applied and then hangs (the retry sees 404)', async () => {
    const link = await newLink('006DEL001');
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'apply-then-hang', match: { method: 'DELETE' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(DELETE, { id: link.id, m: 'm3ter-hung-delete' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.deleteExternalLink).toEqual({ clientMutationId: 'm3ter-hung-delete', deletedId: link.id });
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter', method: 'DELETE' }).map((e) => e.fault ?? e.status)).toEqual(['apply-then-hang', 404]);
    expect(await storedWith('006DEL001')).toEqual([]);
    const replay = await gateway.execute(DELETE, { id: link.id, m: 'm3ter-hung-delete' });
    expect(replay).toEqual(first);
    expect(applied(mark, 'DELETE')).toBe(1);
  });

  it('reports success without clientMutationId too when the DELETE is applied and then hangs', async () => {
    const link = await newLink('006DEL010');
    gateway.sandbox.setFaults('m3ter', { rules: [{ kind: 'apply-then-hang', match: { method: 'DELETE' }, times: 1, hangMs: 1000 }] });
    const result = await gateway.execute(DELETE, { id: link.id });
    expect(result.errors).toBeUndefined();
    expect(await storedWith('006DEL010')).toEqual([]);
  });

  it('settles a delete whose outcome stayed unknown by reading on the replay, without a second DELETE', async () => {
    const link = await newLink('006DEL020');
    gateway.sandbox.setFaults('m3ter', {
      rules: [
        { kind: 'apply-then-hang', match: { method: 'DELETE' }, times: 1, hangMs: 1000 },
        { kind: 'server-error', status: 503, match: { method: 'DELETE' } },
      ],
    });
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(DELETE, { id: link.id, m: 'm3ter-unknown-delete' });
    expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    gateway.sandbox.clearFaults();
    const deletes = gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter', method: 'DELETE' }).length;
    const replay = await gateway.execute(DELETE, { id: link.id, m: 'm3ter-unknown-delete' });
    expect(replay.data!.deleteExternalLink).toEqual({ clientMutationId: 'm3ter-unknown-delete', deletedId: link.id });
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'm3ter', method: 'DELETE' })).toHaveLength(deletes);
    expect(applied(mark, 'DELETE')).toBe(1);
  });

  it('answers NOT_FOUND for a first delete with clientMutationId of a link that does not exist', async () => {
    const link = await newLink('006DEL030');
    await gateway.execute(DELETE, { id: link.id });
    const missing = await gateway.execute(DELETE, { id: link.id, m: 'm3ter-missing' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
