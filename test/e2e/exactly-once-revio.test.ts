// Exactly-once Rev.io writes with clientMutationId: effects are counted in the
// sandbox (its ledger and its stored key links), never from the gateway's answers.
import { readAll } from '../helpers/read-links.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, withGateway, type TestGateway } from '../helpers/gateway.js';

const LINK = 'id nativeId internal { type id } external { system id } createdAt';
const CREATE = `mutation($internalId: String!, $externalId: String!, $m: String) {
  createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: $internalId, externalSystem: "salesforce", externalId: $externalId, clientMutationId: $m }) {
    clientMutationId externalLink { ${LINK} }
  }
}`;
const UPDATE = `mutation($id: ID!, $externalId: String, $m: String) { updateExternalLink(input: { id: $id, externalId: $externalId, clientMutationId: $m }) { clientMutationId externalLink { ${LINK} } } }`;
const DELETE = 'mutation($id: ID!, $m: String) { deleteExternalLink(input: { id: $id, clientMutationId: $m }) { clientMutationId deletedId } }';

const KEY_LINKS = /^\/v1\/IntegrationKeyLink/i;

const gateway = withGateway({ resilience: { attemptTimeoutMs: 300, deadlineMs: 3000 } });
beforeEach(() => gateway.sandbox.reset());

const revio = () => gateway.upstreams.revio.providerFor(gateway.sandbox.tenants.revio[0]!.clientCode)!;

/** Key links stored upstream with this external id, read from Rev.io's search (every page). */
async function storedWith(externalId: string): Promise<number[]> {
  return (await readAll(revio(), { externalId })).map((link) => Number(link.nativeId));
}

/** Writes Rev.io applied since `mark` (2xx, answered or not), by method. */
function applied(mark: number, method: 'POST' | 'PUT' | 'DELETE'): number {
  return gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method, path: KEY_LINKS }).filter((e) => e.status >= 200 && e.status < 300).length;
}

describe('Rev.io createExternalLink with clientMutationId', () => {
  it('creates one key link when the README mutation is sent twice with the same clientMutationId', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: '2001', externalId: '0012D0000NEW001', m: 'readme-1' };
    const first = await gateway.execute(CREATE, vars);
    const second = await gateway.execute(CREATE, vars);
    expect(first.errors).toBeUndefined();
    expect(second).toEqual(first);
    expect(applied(mark, 'POST')).toBe(1);
    expect(await storedWith('0012D0000NEW001')).toEqual([Number(first.data!.createExternalLink.externalLink.nativeId)]);
  });

  it('creates one key link for ten concurrent duplicates, and all ten get the same answer', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: '2001', externalId: '0012D0000NEW010', m: 'ten-at-once' };
    const results = await Promise.all(Array.from({ length: 10 }, () => gateway.execute(CREATE, vars)));
    expect(results[0]!.errors).toBeUndefined();
    for (const result of results) expect(result).toEqual(results[0]);
    expect(applied(mark, 'POST')).toBe(1);
    expect(await storedWith('0012D0000NEW010')).toHaveLength(1);
  });

  it('refuses the same clientMutationId with another input, before any call', async () => {
    await gateway.execute(CREATE, { internalId: '2001', externalId: '0012D0000NEW020', m: 'reused' });
    const mark = gateway.sandbox.ledger.mark;
    const other = await gateway.execute(CREATE, { internalId: '2001', externalId: '0012D0000NEW021', m: 'reused' });
    expect(other.errors?.[0]).toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' }, message: expect.stringMatching(/already used for createExternalLink with a different input/) });
    expect(gateway.calls(mark)).toBe(0);
    expect(await storedWith('0012D0000NEW021')).toEqual([]);
  });

  it('treats a differently spelled system name as the same input', async () => {
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(CREATE, { internalId: '2001', externalId: '0012D0000NEW030', m: 'spelling' });
    const upper = CREATE.replace('externalSystem: "salesforce"', 'externalSystem: "SALESFORCE"');
    const second = await gateway.execute(upper, { internalId: '2001', externalId: '0012D0000NEW030', m: 'spelling' });
    expect(second).toEqual(first);
    expect(applied(mark, 'POST')).toBe(1);
  });

  it('keeps working without clientMutationId: each call is a new link', async () => {
    const mark = gateway.sandbox.ledger.mark;
    await gateway.execute(CREATE, { internalId: '2001', externalId: '0012D0000NEW040' });
    await gateway.execute(CREATE, { internalId: '2001', externalId: '0012D0000NEW040' });
    expect(applied(mark, 'POST')).toBe(2);
    expect(await storedWith('0012D0000NEW040')).toHaveLength(2);
  });

  it('frees the clientMutationId when Rev.io refused the input, so a corrected retry works', async () => {
    const refused = await gateway.execute(CREATE, { internalId: '123456', externalId: '0012D0000NEW050', m: 'refused' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const retried = await gateway.execute(CREATE, { internalId: '123456', externalId: '0012D0000NEW050', m: 'refused' });
    expect(retried.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const mark = gateway.sandbox.ledger.mark;
    // Same id, corrected input: the refused attempt left no record behind.
    const corrected = await gateway.execute(CREATE, { internalId: '2001', externalId: '0012D0000NEW050', m: 'refused' });
    expect(corrected.errors).toBeUndefined();
    expect(applied(mark, 'POST')).toBe(1);
  });

  it('creates one link when the POST is applied and then hangs', async () => {
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: '2001', externalId: '0012D0000NEW060', m: 'hung-create' };
    const first = await gateway.execute(CREATE, vars);
    expect(first.errors).toBeUndefined();
    const replay = await gateway.execute(CREATE, vars);
    expect(replay).toEqual(first);
    expect(applied(mark, 'POST')).toBe(1);
    expect(await storedWith('0012D0000NEW060')).toEqual([Number(first.data!.createExternalLink.externalLink.nativeId)]);
  });

  it('keeps an unsettled outcome as unknown, and the replay finds the link by searching before posting', async () => {
    gateway.sandbox.setFaults('revio', {
      rules: [
        { kind: 'apply-then-hang', match: { method: 'POST', path: '^/v1/IntegrationKeyLink$' }, times: 1, hangMs: 1000 },
        // The search that would settle it fails too (after the POST: the read before it is served): the outcome stays unknown.
        { kind: 'server-error', status: 503, match: { method: 'GET', path: '^/v1/IntegrationKeyLink' }, times: 3, after: 0 },
      ],
    });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { internalId: '2001', externalId: '0012D0000NEW070', m: 'unknown-create' };
    const first = await gateway.execute(CREATE, vars);
    expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    gateway.sandbox.clearFaults();
    const replay = await gateway.execute(CREATE, vars);
    expect(replay.errors).toBeUndefined();
    // The only POST is the one applied before the hang: the replay found its link by searching.
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'POST' }).map((e) => `${e.fault} ${e.status}`)).toEqual(['apply-then-hang 201']);
    expect(await storedWith('0012D0000NEW070')).toEqual([Number(replay.data!.createExternalLink.externalLink.nativeId)]);
  });

  it('answers NOT_FOUND, without making it again, when the created link was deleted since', async () => {
    const vars = { internalId: '2001', externalId: '0012D0000NEW080', m: 'then-deleted' };
    const first = await gateway.execute(CREATE, vars);
    await gateway.execute(DELETE, { id: first.data!.createExternalLink.externalLink.id });
    const mark = gateway.sandbox.ledger.mark;
    const replay = await gateway.execute(CREATE, vars);
    expect(replay.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringMatching(/no longer exists \(deleted since\)/) });
    expect(applied(mark, 'POST')).toBe(0);
    expect(await storedWith('0012D0000NEW080')).toEqual([]);
  });
});

describe('Rev.io updateExternalLink and deleteExternalLink with clientMutationId', () => {
  async function newLink(externalId: string): Promise<{ id: string; nativeId: string }> {
    const created = await gateway.execute(CREATE, { internalId: '2001', externalId });
    return created.data!.createExternalLink.externalLink;
  }

  it('replays an update with the link as stored now, with one PUT', async () => {
    const link = await newLink('0012D0000UPD001');
    const mark = gateway.sandbox.ledger.mark;
    const vars = { id: link.id, externalId: '0012D0000UPD002', m: 'update-1' };
    const first = await gateway.execute(UPDATE, vars);
    const replays = await Promise.all(Array.from({ length: 10 }, () => gateway.execute(UPDATE, vars)));
    expect(first.errors).toBeUndefined();
    for (const replay of replays) expect(replay).toEqual(first);
    expect(applied(mark, 'PUT')).toBe(1);
    expect(await storedWith('0012D0000UPD002')).toEqual([Number(link.nativeId)]);
  });

  it('updates once when the PUT is applied and then hangs', async () => {
    const link = await newLink('0012D0000UPD010');
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'PUT' }, times: 1, hangMs: 1000 }] });
    const vars = { id: link.id, externalId: '0012D0000UPD011', m: 'hung-update' };
    const first = await gateway.execute(UPDATE, vars);
    expect(first.errors).toBeUndefined();
    expect(first.data!.updateExternalLink.externalLink.external.id).toBe('0012D0000UPD011');
    const mark = gateway.sandbox.ledger.mark;
    expect(await gateway.execute(UPDATE, vars)).toEqual(first);
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'PUT' })).toEqual([]);
    expect(await storedWith('0012D0000UPD011')).toEqual([Number(link.nativeId)]);
  });

  it('settles a PUT whose every attempt hung by reading the link back, and a replay makes no PUT', async () => {
    const link = await newLink('0012D0000UPD020');
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'PUT' }, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { id: link.id, externalId: '0012D0000UPD021', m: 'hung-update-always' };
    const first = await gateway.execute(UPDATE, vars);
    expect(first.errors).toBeUndefined();
    gateway.sandbox.clearFaults();
    const puts = applied(mark, 'PUT');
    expect(await gateway.execute(UPDATE, vars)).toEqual(first);
    expect(applied(mark, 'PUT')).toBe(puts);
    expect(await storedWith('0012D0000UPD021')).toEqual([Number(link.nativeId)]);
  });

  it('reports a delete as done when the DELETE is applied and then hangs, and replays the same answer', async () => {
    const link = await newLink('0012D0000DEL001');
    gateway.sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'DELETE' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(DELETE, { id: link.id, m: 'hung-delete' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.deleteExternalLink).toEqual({ clientMutationId: 'hung-delete', deletedId: link.id });
    expect(await gateway.execute(DELETE, { id: link.id, m: 'hung-delete' })).toEqual(first);
    expect(applied(mark, 'DELETE')).toBe(1);
    expect(await storedWith('0012D0000DEL001')).toEqual([]);
  });
});

describe('Rev.io exactly-once over HTTP, per API key', () => {
  const http = withGateway(() => ({ keys: { alpha: { ...keys.alpha, scopes: [...keys.alpha.scopes] }, beta: { ...keys.beta, scopes: [...keys.beta.scopes] } } }));
  const keys = { alpha: { key: 'ilk_test_alpha_0123456789abcdefghij', scopes: ['read', 'write'] as const }, beta: { key: 'ilk_test_beta_0123456789abcdefghijk', scopes: ['read', 'write'] as const } };

  it('keeps two callers apart: the same clientMutationId from two keys is two changes, each replayed to its own caller', async () => {
    const mark = http.sandbox.ledger.mark;
    const variables = { internalId: '2001', externalId: '0012D0000HTTP01', m: 'shared-id' };
    const a1 = await http.post(CREATE, { variables, key: keys.alpha.key });
    const b1 = await http.post(CREATE, { variables, key: keys.beta.key });
    const a2 = await http.post(CREATE, { variables, key: keys.alpha.key });
    expect(a1.body.errors).toBeUndefined();
    expect(b1.body.errors).toBeUndefined();
    expect(a2.body).toEqual(a1.body);
    expect(b1.body.data.createExternalLink.externalLink.id).not.toBe(a1.body.data.createExternalLink.externalLink.id);
    const posts = http.sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'POST' }).filter((e) => e.status === 201);
    expect(posts).toHaveLength(2);
  });

  it('passes IDEMPOTENCY_KEY_REUSED to the client with its code', async () => {
    await http.post(CREATE, { variables: { internalId: '2001', externalId: '0012D0000HTTP10', m: 'http-reused' }, key: keys.alpha.key });
    const reused = await http.post(CREATE, { variables: { internalId: '2001', externalId: '0012D0000HTTP11', m: 'http-reused' }, key: keys.alpha.key });
    expect(reused.status).toBe(200);
    expect(reused.body.errors[0]).toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });
});
