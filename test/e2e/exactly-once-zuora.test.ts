// Exactly-once Zuora connection writes with clientMutationId: effects are
// counted in the sandbox (its ledger and Zuora's connection lists), never from the gateway's answers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/lib/global-id.js';
import { createServer } from '../../src/server.js';
import { withGateway } from '../helpers/gateway.js';

const CONNECTION = 'connection { id connectionId status source { id } target { id } }';
const INITIATE = `mutation($s: ID!, $t: ID!, $m: String) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t, clientMutationId: $m }) { clientMutationId ${CONNECTION} } }`;
const transition = (kind: 'acceptConnection' | 'disconnectConnection') =>
  `mutation($c: ID!, $e: ID!, $m: String) { ${kind}(input: { connectionId: $c, actingEntityId: $e, clientMutationId: $m }) { clientMutationId ${CONNECTION} } }`;

const CONNECTIONS = /^\/v1\/entity-connections/;

const gateway = withGateway({ resilience: { attemptTimeoutMs: 300, deadlineMs: 3000 } });
beforeEach(async () => {
  gateway.sandbox.reset();
  // The reset may expire the client's token: renew it now, so no fault below meets a 401 instead of the write.
  await gateway.upstreams.zuora.providerFor(tenant().entities[0]!.id)!.probe(tenant().entities[0]!.id, { requestId: 'warm-up' });
});

const tenant = () => gateway.sandbox.fixtures.zuora.tenants[0]!;

/** A source and two targets with no live connection from the source in the seed. */
function openTargets(): { source: string; targets: [string, string] } {
  const { entities, connections } = tenant();
  const provisioned = entities.filter((e) => e.status === 'Provisioned').map((e) => e.id);
  for (const source of provisioned) {
    const open = provisioned.filter(
      (target) => target !== source && !connections.some((c) => [c.sourceEntityId, c.targetEntityId].sort().join() === [source, target].sort().join() && c.status !== 'Disconnected'),
    );
    if (open.length >= 2) return { source, targets: [open[0]!, open[1]!] };
  }
  throw new Error('fixture assumption: an entity with two open targets');
}

/** Live (Pending or Connected) connections between two entities, read straight from Zuora as the source. */
async function liveBetween(source: string, target: string): Promise<string[]> {
  const rows = await gateway.upstreams.zuora.providerFor(source)!.connectionsOf(source, { requestId: 'check' });
  return rows.filter((c) => c.sourceEntityId === source && c.targetEntityId === target && c.status !== 'DISCONNECTED').map((c) => c.id);
}

/** Connection writes sent to Zuora since `mark`, by method (a refusal comes as a 200 too, so each is listed with its status or fault). */
function writes(mark: number, method: 'POST' | 'PUT'): { status: number; fault?: string }[] {
  return gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora', method, path: CONNECTIONS });
}

describe('Zuora initiateConnection with clientMutationId', () => {
  it('refuses a reused clientMutationId with other entities, and replays read the stored connection (CONNECTED after acceptance)', async () => {
    const { source, targets } = openTargets();
    const first = await gateway.execute(INITIATE, { s: source, t: targets[0], m: 'zuora-1' });
    expect(first.errors).toBeUndefined();
    expect(first.data!.initiateConnection.connection).toMatchObject({ status: 'PENDING', source: { id: toGlobalId('Entity', source) }, target: { id: toGlobalId('Entity', targets[0]) } });

    const mark = gateway.sandbox.ledger.mark;
    const other = await gateway.execute(INITIATE, { s: source, t: targets[1], m: 'zuora-1' });
    expect(other.errors?.[0]).toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    // Nothing written (the authorization checks may read the entity list).
    expect(writes(mark, 'POST')).toEqual([]);
    expect(await liveBetween(source, targets[1])).toEqual([]);

    const { connectionId } = first.data!.initiateConnection.connection;
    const accepted = await gateway.execute(transition('acceptConnection'), { c: connectionId, e: targets[0] });
    expect(accepted.data!.acceptConnection.connection.status).toBe('CONNECTED');
    const afterAccept = gateway.sandbox.ledger.mark;
    const replay = await gateway.execute(INITIATE, { s: source, t: targets[0], m: 'zuora-1' });
    expect(replay.errors).toBeUndefined();
    expect(replay.data!.initiateConnection.connection).toEqual({ ...first.data!.initiateConnection.connection, status: 'CONNECTED' });
    expect(writes(afterAccept, 'POST')).toEqual([]);
    expect(await liveBetween(source, targets[0])).toEqual([connectionId]);
  });

  it('treats an Entity global id and the 32-hex id of the same entities as the same input', async () => {
    const { source, targets } = openTargets();
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(INITIATE, { s: toGlobalId('Entity', source), t: targets[0], m: 'zuora-forms' });
    const second = await gateway.execute(INITIATE, { s: source.toUpperCase(), t: toGlobalId('Entity', targets[0]), m: 'zuora-forms' });
    expect(first.errors).toBeUndefined();
    expect(second).toEqual(first);
    expect(writes(mark, 'POST')).toHaveLength(1);
  });

  it('opens one connection for ten concurrent duplicates, and all ten get the same answer', async () => {
    const { source, targets } = openTargets();
    const mark = gateway.sandbox.ledger.mark;
    const results = await Promise.all(Array.from({ length: 10 }, () => gateway.execute(INITIATE, { s: source, t: targets[0], m: 'zuora-ten' })));
    expect(results[0]!.errors).toBeUndefined();
    for (const result of results) expect(result).toEqual(results[0]);
    expect(writes(mark, 'POST')).toHaveLength(1);
    expect(await liveBetween(source, targets[0])).toEqual([results[0]!.data!.initiateConnection.connection.connectionId]);
  });

  it('refuses, after a restart lost the record, an input Zuora answered for another input under the same key', async () => {
    const { source, targets } = openTargets();
    await gateway.execute(INITIATE, { s: source, t: targets[0], m: 'zuora-restart' });
    // A second server over the same clients and a fresh store, for the same caller: the gateway restarted, Zuora did not.
    const restarted = createServer({ config: gateway.config, upstreams: gateway.upstreams, introspection: true });
    await restarted.apollo.start();
    const mark = gateway.sandbox.ledger.mark;
    try {
      const other = await restarted.apollo.executeOperation(
        { query: INITIATE, variables: { s: source, t: targets[1], m: 'zuora-restart' } },
        { contextValue: restarted.contextFor({}) },
      );
      const body = other.body.kind === 'single' ? other.body.singleResult : undefined;
      expect(body?.errors?.[0]).toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    } finally {
      await restarted.apollo.stop();
    }
    // Zuora replayed its stored answer (409), so nothing new was made.
    expect(writes(mark, 'POST').map((e) => e.status)).toEqual([409]);
    expect(await liveBetween(source, targets[1])).toEqual([]);
  });

  it('opens one connection when the POST is applied and then hangs, and a replay answers it', async () => {
    const { source, targets } = openTargets();
    gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST', path: '^/v1/entity-connections$' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const first = await gateway.execute(INITIATE, { s: source, t: targets[0], m: 'zuora-hung' });
    expect(first.errors).toBeUndefined();
    expect(await gateway.execute(INITIATE, { s: source, t: targets[0], m: 'zuora-hung' })).toEqual(first);
    expect(writes(mark, 'POST').map((e) => e.fault ?? e.status)).toEqual(['apply-then-hang', 409]);
    expect(await liveBetween(source, targets[0])).toEqual([first.data!.initiateConnection.connection.connectionId]);
  });

  it('keeps working without clientMutationId', async () => {
    const { source, targets } = openTargets();
    const result = await gateway.execute(INITIATE, { s: source, t: targets[0] });
    expect(result.data!.initiateConnection).toMatchObject({ clientMutationId: null, connection: { status: 'PENDING' } });
    expect(await liveBetween(source, targets[0])).toEqual([result.data!.initiateConnection.connection.connectionId]);
  });
});

describe('Zuora transitions with clientMutationId', () => {
  const pending = () => tenant().connections.find((c) => c.status === 'Pending')!;

  it('accepts once and replays the connection as stored now, for ten concurrent duplicates too', async () => {
    const connection = pending();
    const mark = gateway.sandbox.ledger.mark;
    const vars = { c: connection.id, e: connection.targetEntityId, m: 'accept-once' };
    const results = await Promise.all(Array.from({ length: 10 }, () => gateway.execute(transition('acceptConnection'), vars)));
    expect(results[0]!.data!.acceptConnection.connection.status).toBe('CONNECTED');
    for (const result of results) expect(result).toEqual(results[0]);
    expect(writes(mark, 'PUT')).toHaveLength(1);
    // Disconnected since: the replay shows it as it is now, and does not accept again.
    await gateway.execute(transition('disconnectConnection'), { c: connection.id, e: connection.targetEntityId });
    const afterDisconnect = gateway.sandbox.ledger.mark;
    const replay = await gateway.execute(transition('acceptConnection'), vars);
    expect(replay.data!.acceptConnection.connection.status).toBe('DISCONNECTED');
    expect(writes(afterDisconnect, 'PUT')).toEqual([]);
  });

  it('refuses the same clientMutationId for another connection, before any write', async () => {
    // Two Pending connections towards one entity, opened here: `source` of openTargets is their target.
    const { source: acting, targets: [a, b] } = openTargets();
    const first = await gateway.execute(INITIATE, { s: a, t: acting });
    const second = await gateway.execute(INITIATE, { s: b, t: acting });
    const ids = [first, second].map((r) => r.data!.initiateConnection.connection.connectionId as string);
    const accepted = await gateway.execute(transition('acceptConnection'), { c: ids[0], e: acting, m: 'accept-reused' });
    expect(accepted.errors).toBeUndefined();
    const mark = gateway.sandbox.ledger.mark;
    const reused = await gateway.execute(transition('acceptConnection'), { c: ids[1], e: acting, m: 'accept-reused' });
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(writes(mark, 'PUT')).toEqual([]);
  });

  it('accepts once when the PUT is applied and then hangs', async () => {
    const connection = pending();
    gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'apply-then-hang', match: { method: 'PUT', path: '/accept$' }, times: 1, hangMs: 1000 }] });
    const mark = gateway.sandbox.ledger.mark;
    const vars = { c: connection.id, e: connection.targetEntityId, m: 'accept-hung' };
    const first = await gateway.execute(transition('acceptConnection'), vars);
    expect(first.errors).toBeUndefined();
    expect(first.data!.acceptConnection.connection.status).toBe('CONNECTED');
    expect(await gateway.execute(transition('acceptConnection'), vars)).toEqual(first);
    // The retry met "already connected" (a refusal in a 200), which the client settled by reading.
    expect(writes(mark, 'PUT').map((e) => e.fault ?? e.status)).toEqual(['apply-then-hang', 200]);
  });

  it('settles an accept whose outcome stayed unknown by reading the status on the replay, without another PUT', async () => {
    const connection = pending();
    gateway.sandbox.setFaults('zuora', {
      rules: [
        { kind: 'apply-then-hang', match: { method: 'PUT', path: '/accept$' }, times: 1, hangMs: 1000 },
        { kind: 'server-error', status: 503, match: { method: 'PUT' } },
      ],
    });
    const vars = { c: connection.id, e: connection.targetEntityId, m: 'accept-unknown' };
    const first = await gateway.execute(transition('acceptConnection'), vars);
    expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    gateway.sandbox.clearFaults();
    const mark = gateway.sandbox.ledger.mark;
    expect(writes(0, 'PUT').map((e) => e.fault ?? e.status)).toEqual(['apply-then-hang', 'server-error-503', 'server-error-503']);
    const replay = await gateway.execute(transition('acceptConnection'), vars);
    expect(replay.errors).toBeUndefined();
    expect(replay.data!.acceptConnection.connection.status).toBe('CONNECTED');
    expect(writes(mark, 'PUT')).toEqual([]);
  });
});
