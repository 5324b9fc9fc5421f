// Writes whose answer was lost: the vendor applied them, then the connection hung or failed.
// POSTs are settled by their Idempotency-Key (Zuora replays a finished POST with 409 and the
// original body), PUTs and DELETEs by re-reading the state when the retry says "already done".
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamConflictError } from '../../src/errors.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import {
  closeClients,
  makeClient,
  openPair,
  rejectionOf,
  seededConnection,
  tenantConfig,
  tenantFixture,
  zuoraEntries,
  type TenantFixture,
} from '../helpers/vendors/zuora.js';

const sandbox = withSandbox({ size: 'medium' });
let tenant: TenantFixture;

beforeAll(async () => {
  tenant = tenantFixture(sandbox, 0);
});
afterEach(closeClients);

/** A client whose attempts give up after 300 ms, well before a 1.5 s hang ends. */
const impatient = () => makeClient(sandbox, tenantConfig(tenant.admin), { timeouts: { attemptMs: 300 } }).client;

/** The first matching request is applied by the vendor, then its connection hangs. */
function applyThenHang(method: string, path: string): void {
  sandbox.setFaults('zuora', { rules: [{ kind: 'apply-then-hang', hangMs: 1500, times: 1, match: { method, path } }] });
}

async function pendingFrom(client: ReturnType<typeof impatient>, source: string, target: string): Promise<string[]> {
  const rows = await client.listAllConnections({ entityId: source, type: 'outbound' });
  return rows.filter((c) => c.targetEntityId === target && c.status === 'Pending').map((c) => c.id ?? '');
}

describe('Zuora client: a POST applied then hung', () => {
  it('creates exactly one connection and answers its id when the first attempt applied then hung', async () => {
    const client = impatient();
    const { source, target } = openPair(tenant);
    const before = (await client.listAllConnections({ entityId: source })).length;
    applyThenHang('POST', '^/v1/entity-connections$');
    const mark = sandbox.ledger.mark;

    const created = await client.initiateConnection({ entityId: source, targetEntityId: target, clientMutationId: 'hung-1' });

    const posts = zuoraEntries(sandbox, mark, '/v1/entity-connections').filter((e) => e.method === 'POST');
    expect(posts.map((p) => p.fault ?? p.status)).toEqual(['apply-then-hang', 409]);
    expect(posts[0]?.headers['idempotency-key']).toBe(posts[1]?.headers['idempotency-key']);
    // Counted in the sandbox: one more connection than before, and it is the one we were told.
    const after = await client.listAllConnections({ entityId: source });
    expect(after).toHaveLength(before + 1);
    expect(await pendingFrom(client, source, target)).toEqual([created.id]);
  });

  it('creates exactly one connection when the first attempt applied and the connection dropped', async () => {
    const client = impatient();
    const { source, target } = openPair(tenant);
    // Shorter than the attempt timeout: the socket closes under the client (ECONNRESET).
    sandbox.setFaults('zuora', { rules: [{ kind: 'apply-then-hang', hangMs: 50, times: 1, match: { method: 'POST', path: '^/v1/entity-connections$' } }] });
    const created = await client.initiateConnection({ entityId: source, targetEntityId: target });
    expect(await pendingFrom(client, source, target)).toEqual([created.id]);
  });

  it('retries a POST after a 503 with the same key and creates one connection', async () => {
    const client = impatient();
    const { source, target } = openPair(tenant);
    sandbox.setFaults('zuora', { rules: [{ kind: 'server-error', status: 503, times: 1, match: { method: 'POST', path: '^/v1/' } }] });
    const mark = sandbox.ledger.mark;
    const created = await client.initiateConnection({ entityId: source, targetEntityId: target });
    const posts = zuoraEntries(sandbox, mark, '/v1/entity-connections').filter((e) => e.method === 'POST');
    expect(posts.map((p) => p.status)).toEqual([503, 200]);
    expect(posts[0]?.headers['idempotency-key']).toBe(posts[1]?.headers['idempotency-key']);
    expect(await pendingFrom(client, source, target)).toEqual([created.id]);
  });

});

describe('Zuora client: a PUT or DELETE applied then hung', () => {
  it('reports an accept as done when its retry gets category 30 and the connection is already Connected', async () => {
    const client = impatient();
    const pending = seededConnection(tenant, 'Pending');
    applyThenHang('PUT', '/accept$');
    const mark = sandbox.ledger.mark;
    const result = await client.acceptConnection({ entityId: pending.targetEntityId, connectionId: pending.id });
    expect(result).toEqual({ success: true });
    const calls = zuoraEntries(sandbox, mark, '/v1/entity-connections');
    expect(calls.map((c) => `${c.method} ${c.fault ?? c.status}`)).toEqual(['PUT apply-then-hang', 'PUT 200', 'GET 200']);
    const row = (await client.listAllConnections({ entityId: pending.sourceEntityId })).find((c) => c.id === pending.id);
    expect(row?.status).toBe('Connected');
  });

  it('reports a deny as done when its retry gets category 30 and the connection is already Disconnected', async () => {
    const client = impatient();
    const pending = seededConnection(tenant, 'Pending');
    applyThenHang('PUT', '/deny$');
    expect(await client.denyConnection({ entityId: pending.targetEntityId, connectionId: pending.id })).toEqual({ success: true });
  });

  it('reports a disconnect as done when its retry gets category 30 and the connection is already Disconnected', async () => {
    const client = impatient();
    const connected = seededConnection(tenant, 'Connected');
    applyThenHang('PUT', '/disconnect$');
    expect(await client.disconnectConnection({ entityId: connected.sourceEntityId, connectionId: connected.id })).toEqual({ success: true });
  });

  it('still reports the conflict when the re-read state is not the target state', async () => {
    const client = impatient();
    const pending = seededConnection(tenant, 'Pending');
    // Not applied: the 503 attempt changed nothing, and a Pending connection cannot be disconnected.
    sandbox.setFaults('zuora', { rules: [{ kind: 'server-error', status: 503, times: 1, match: { method: 'PUT' } }] });
    const mark = sandbox.ledger.mark;
    const error = await rejectionOf(client.disconnectConnection({ entityId: pending.sourceEntityId, connectionId: pending.id }));
    expect(error).toBeInstanceOf(UpstreamConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', vendorCode: '50000030', retryable: false, attempts: 2 });
    expect(zuoraEntries(sandbox, mark, '/v1/entity-connections').map((c) => c.method)).toEqual(['PUT', 'PUT', 'GET']);
  });

  it('reports a conflict on a first attempt as it is, without re-reading', async () => {
    const client = impatient();
    const connected = seededConnection(tenant, 'Connected');
    const mark = sandbox.ledger.mark;
    const error = await rejectionOf(client.acceptConnection({ entityId: connected.targetEntityId, connectionId: connected.id }));
    expect(error).toMatchObject({ code: 'CONFLICT', vendorCode: '50000030', attempts: 1 });
    expect(zuoraEntries(sandbox, mark, '/v1/').map((c) => c.method)).toEqual(['PUT']);
  });

});
