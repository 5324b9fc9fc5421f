import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toConnection } from '../../src/upstreams/zuora/mapper.js';
import type { ZuoraConnection } from '../../src/upstreams/zuora/zuora-types.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import type { ZuoraConnectionRecord } from '../../sandbox/fixtures/types.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import {
  closeClients,
  connectionsOf,
  hyphenated,
  makeClient,
  openPair,
  seededConnection,
  tenantConfig,
  tenantFixture,
  zuoraEntries,
  type TenantFixture,
} from '../helpers/vendors/zuora.js';

const sandbox = withSandbox({ size: 'medium' });
let tenant: TenantFixture;
/** The entity with the most seeded connections, so small pages make several. */
let busiest: string;

beforeAll(async () => {
  tenant = tenantFixture(sandbox, 0);
  const counts = tenant.fixture.entities.map((e) => [e.id, connectionsOf(tenant, e.id).length] as const);
  busiest = counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
});
afterEach(closeClients);

const admin = () => makeClient(sandbox, tenantConfig(tenant.admin)).client;
const ids = (rows: readonly { id?: string | null }[]) => rows.map((row) => row.id);
const wire = (record: ZuoraConnectionRecord): ZuoraConnection => ({ ...record });

describe('Zuora client: connection pages', () => {
  it('reads the first page at page 1 with 300 rows, and has no next page when all fit', async () => {
    const mark = sandbox.ledger.mark;
    const page = await admin().listConnectionsPage({ entityId: busiest });
    expect(ids(page.connections)).toEqual(ids(connectionsOf(tenant, busiest)));
    expect(page.next).toBeUndefined();
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, { entityConnections: page.connections, success: true });
    expect(zuoraEntries(sandbox, mark, '/v1/entity-connections')[0]?.query).toEqual({ page: '1', pageSize: '300' });
  });

  it('pages to the end by position, every seeded connection exactly once and oldest first', async () => {
    const client = admin();
    const expected = connectionsOf(tenant, busiest);
    expect(expected.length).toBeGreaterThan(6);
    const seen: ZuoraConnection[] = [];
    const positions: unknown[] = [];
    let position: { page: number; pageSize: number } | undefined = { page: 1, pageSize: 3 };
    while (position !== undefined) {
      const page = await client.listConnectionsPage({ entityId: busiest, ...position });
      seen.push(...page.connections);
      position = page.next;
      positions.push(position);
    }
    expect(seen.map(toConnection)).toEqual(expected.map((record) => toConnection(wire(record))));
    expect(positions[0]).toEqual({ page: 2, pageSize: 3 });
    expect(positions.at(-1)).toBeUndefined();
    expect(positions).toHaveLength(Math.ceil(expected.length / 3));
  });

  it('keeps the direction filter in the next position', async () => {
    const outbound = tenant.fixture.connections.filter((c) => c.sourceEntityId === busiest);
    expect(outbound.length).toBeGreaterThan(1);
    const client = admin();
    const first = await client.listConnectionsPage({ entityId: busiest, type: 'outbound', pageSize: 1 });
    expect(ids(first.connections)).toEqual(ids(outbound.slice(0, 1)));
    expect(first.next).toEqual({ page: 2, pageSize: 1, type: 'outbound' });
    const all = await client.listAllConnections({ entityId: busiest, type: 'outbound' });
    expect(ids(all)).toEqual(ids(outbound));
    const inbound = await client.listAllConnections({ entityId: busiest, type: 'inbound' });
    expect(ids(inbound)).toEqual(ids(tenant.fixture.connections.filter((c) => c.targetEntityId === busiest)));
  });

  it('walks every page, one request per page', async () => {
    const expected = connectionsOf(tenant, busiest);
    const mark = sandbox.ledger.mark;
    const all = await admin().listAllConnections({ entityId: busiest, pageSize: 4 });
    expect(ids(all)).toEqual(ids(expected));
    expect(new Set(ids(all)).size).toBe(expected.length);
    expect(zuoraEntries(sandbox, mark, '/v1/entity-connections')).toHaveLength(Math.ceil(expected.length / 4));
  });

  it('collects every connection of every entity in one request each at the default page size', async () => {
    const client = admin();
    const mark = sandbox.ledger.mark;
    for (const entity of tenant.fixture.entities) {
      const all = await client.listAllConnections({ entityId: entity.id });
      expect(ids(all)).toEqual(ids(connectionsOf(tenant, entity.id)));
    }
    expect(zuoraEntries(sandbox, mark, '/v1/entity-connections')).toHaveLength(tenant.fixture.entities.length);
  });

  it('asks for at most 300 rows, as Zuora would count a larger size', async () => {
    const mark = sandbox.ledger.mark;
    const client = admin();
    await client.listConnectionsPage({ entityId: busiest, pageSize: 1000 });
    await client.listAllConnections({ entityId: busiest, pageSize: 1000 });
    expect(zuoraEntries(sandbox, mark, '/v1/entity-connections').map((e) => e.query.pageSize)).toEqual(['300', '300']);
  });

  it('returns an empty page past the end', async () => {
    const page = await admin().listConnectionsPage({ entityId: busiest, page: 99, pageSize: 300 });
    expect(page).toEqual({ connections: [], next: undefined });
  });
});

describe('Zuora client: connection writes', () => {
  it('initiates a Pending connection and answers its id, with an Idempotency-Key', async () => {
    const client = admin();
    const { source, target } = openPair(tenant);
    const mark = sandbox.ledger.mark;
    const created = await client.initiateConnection({ entityId: source, targetEntityId: hyphenated(target) });
    expectMatchesSpec('zuora', 'POST', '/v1/entity-connections', 200, created);
    expect(created.id).toMatch(/^[0-9a-f]{32}$/);
    const [post] = zuoraEntries(sandbox, mark, '/v1/entity-connections');
    expect(post?.headers['idempotency-key']).toBeTruthy();
    const row = (await client.listAllConnections({ entityId: source })).find((c) => c.id === created.id);
    expect(row && toConnection(row)).toEqual({ id: created.id, sourceEntityId: source, targetEntityId: target, status: 'PENDING' });
  });

  it('accepts as the target, then disconnects as the source', async () => {
    const client = admin();
    const { source, target } = openPair(tenant);
    const { id } = await client.initiateConnection({ entityId: source, targetEntityId: target });
    const accepted = await client.acceptConnection({ entityId: target, connectionId: id! });
    expectMatchesSpec('zuora', 'PUT', '/v1/entity-connections/{connection-id}/accept', 200, accepted);
    const statusSeenBy = async (entity: string) => (await client.listAllConnections({ entityId: entity })).find((c) => c.id === id)?.status;
    expect(await statusSeenBy(source)).toBe('Connected');
    const disconnected = await client.disconnectConnection({ entityId: source, connectionId: id! });
    expectMatchesSpec('zuora', 'PUT', '/v1/entity-connections/{connection-id}/disconnect', 200, disconnected);
    expect(await statusSeenBy(target)).toBe('Disconnected');
  });

  it('denies a pending connection as the target', async () => {
    const client = admin();
    const pending = seededConnection(tenant, 'Pending');
    const denied = await client.denyConnection({ entityId: pending.targetEntityId, connectionId: pending.id });
    expectMatchesSpec('zuora', 'PUT', '/v1/entity-connections/{connection-id}/deny', 200, denied);
    const row = (await client.listAllConnections({ entityId: pending.sourceEntityId })).find((c) => c.id === pending.id);
    expect(row?.status).toBe('Disconnected');
  });

  it('replays the first connection for a repeated client mutation id instead of creating another', async () => {
    const client = admin();
    const { source, target } = openPair(tenant);
    const first = await client.initiateConnection({ entityId: source, targetEntityId: target, clientMutationId: 'link-1' });
    const again = await client.initiateConnection({ entityId: source, targetEntityId: target, clientMutationId: 'link-1' });
    expect(again.id).toBe(first.id);
    const rows = (await client.listAllConnections({ entityId: source, type: 'outbound' })).filter((c) => c.targetEntityId === target && c.status === 'Pending');
    expect(ids(rows)).toEqual([first.id]);
  });

  it('sends a fresh key for each initiation without a client mutation id', async () => {
    const client = admin();
    const { source, target } = openPair(tenant);
    const second = tenant.fixture.entities.find((e) => e.id !== source && e.id !== target && e.status === 'Provisioned' && !connectionsOf(tenant, source).some((c) => c.targetEntityId === e.id || c.sourceEntityId === e.id))!;
    const mark = sandbox.ledger.mark;
    await client.initiateConnection({ entityId: source, targetEntityId: target });
    await client.initiateConnection({ entityId: source, targetEntityId: second.id });
    const keys = zuoraEntries(sandbox, mark, '/v1/entity-connections').filter((e) => e.method === 'POST').map((e) => e.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });

  it('waits at least 1 s after a 409 "still in progress" and retries with the same key, creating one connection', async () => {
    const { source, target } = openPair(tenant);
    // The first attempt outlives its 300 ms timeout on the server; the retry finds it in flight.
    sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 1000, times: 1, match: { method: 'POST', path: '^/v1/entity-connections$' } }] });
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin), { timeouts: { attemptMs: 300 } });
    const mark = sandbox.ledger.mark;
    const created = await client.initiateConnection({ entityId: source, targetEntityId: target, clientMutationId: 'slow-1' });
    sandbox.clearFaults();

    const posts = zuoraEntries(sandbox, mark, '/v1/entity-connections').filter((e) => e.method === 'POST');
    const byArrival = [...posts].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    expect(byArrival.map((p) => p.status)).toEqual([200, 409, 409]);
    expect(new Set(posts.map((p) => p.headers['idempotency-key'])).size).toBe(1);
    const [, inFlight, replay] = byArrival;
    expect(Date.parse(replay!.time) - Date.parse(inFlight!.time)).toBeGreaterThanOrEqual(990);

    const rows = (await client.listAllConnections({ entityId: source, type: 'outbound' })).filter((c) => c.targetEntityId === target && c.status === 'Pending');
    expect(ids(rows)).toEqual([created.id]);
  });
});
