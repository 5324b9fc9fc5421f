import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RequestBudgetError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { createUpstreams, type Upstreams } from '../../src/upstreams/index.js';
import type { SharedReadEvent } from '../../src/upstreams/read-sharing.js';
import type { KeyLinkWrite } from '../../src/upstreams/revio/client.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { clientFor, mappingInput, orgOf } from '../helpers/vendors/m3ter.js';
import { CUSTOMER, SALESFORCE, testClient } from '../helpers/vendors/revio.js';
import { closeClients, hyphenated, makeClient, openPair, sleep, tenantConfig, tenantFixture, zuoraEntries, type TenantFixture } from '../helpers/vendors/zuora.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox();
let tenant: TenantFixture;
const cleanups: (() => unknown)[] = [];

beforeAll(() => {
  tenant = tenantFixture(sandbox, 0);
});
afterEach(async () => {
  closeClients();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** GETs the vendor served since `mark` on paths matching `path` (token calls are never GETs). */
const gets = (vendor: 'zuora' | 'm3ter' | 'revio', mark: number, path: RegExp) => sandbox.ledger.count({ vendor, method: 'GET', sinceSeq: mark, path });

/**
 * Holds the next GET on `path` this long before the vendor reads its data: a read that stays in
 * flight. Under the Rev.io test client's 400 ms attempt timeout, so it is not retried.
 */
const slowNextGet = (vendor: 'zuora' | 'm3ter' | 'revio', path: string, latencyMs = 250) =>
  sandbox.setFaults(vendor, { rules: [{ kind: 'latency', latencyMs, times: 1, match: { method: 'GET', path } }] });

const five = <T>(read: (i: number) => Promise<T>) => Promise.all([0, 1, 2, 3, 4].map(read));

describe('Zuora: identical reads in flight share one call', () => {
  const sharing = (overrides: Parameters<typeof makeClient>[2] = {}) => makeClient(sandbox, tenantConfig(tenant.admin), { shareReads: true, ...overrides });

  it('answers five concurrent identical entity lists with one call, counted for the first request only', async () => {
    const joined: SharedReadEvent[] = [];
    const admitted: (string | undefined)[] = [];
    const { client, calls } = sharing({ onSharedRead: (event) => joined.push(event), beforeUpstreamCall: (call) => void admitted.push(call.requestId) });
    const mark = sandbox.ledger.mark;
    const lists = await five((i) => client.listEntities({ entityId: tenant.rootId, requestId: `req-${i}` }));
    expect(gets('zuora', mark, /^\/v1\/entities$/)).toBe(1);
    for (const list of lists) expect(list.map((e) => e.id)).toEqual(tenant.fixture.entities.map((e) => e.id));
    // The joiners made no call: their requests' budgets and call counts are not charged.
    expect(admitted).toEqual(['req-0']);
    expect(calls.filter((c) => c.operation !== 'fetchToken').map((c) => c.requestId)).toEqual(['req-0']);
    expect(joined.map((e) => e.requestId)).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    expect(joined.every((e) => e.vendor === 'zuora' && e.operation === 'listEntities')).toBe(true);
  });

  it('sends two different reads as two calls', async () => {
    const { client } = sharing();
    const mark = sandbox.ledger.mark;
    await Promise.all([client.listEntities({ entityId: tenant.rootId }), client.listEntities({ entityId: tenant.rootId, provisioned: true })]);
    expect(gets('zuora', mark, /^\/v1\/entities$/)).toBe(2);
  });

  it('never shares a read between two acting entities of one credential: same path, two calls', async () => {
    const { client } = sharing();
    const other = tenant.entityId(1);
    const mark = sandbox.ledger.mark;
    await Promise.all([client.listAllConnections({ entityId: tenant.rootId }), client.listAllConnections({ entityId: other })]);
    const entries = zuoraEntries(sandbox, mark, /^\/v1\/entity-connections$/);
    expect(entries.map((e) => e.headers['zuora-entity-ids']).sort()).toEqual([hyphenated(tenant.rootId), hyphenated(other)].sort());
  });

  it('sends a read asked for after a create afresh, and it sees the created connection', async () => {
    const { client } = sharing();
    const { source, target } = openPair(tenant);
    await client.listEntities({ entityId: source });
    slowNextGet('zuora', '^/v1/entity-connections$');
    const mark = sandbox.ledger.mark;
    // In flight before the write and still in flight after its answer.
    const before = client.listAllConnections({ entityId: source });
    await sleep(30);
    const created = await client.initiateConnection({ entityId: source, targetEntityId: target });
    const after = await client.listAllConnections({ entityId: source });
    await before;
    expect(after.map((c) => c.id?.toLowerCase())).toContain(created.id?.toLowerCase());
    expect(gets('zuora', mark, /^\/v1\/entity-connections$/)).toBe(2);
  });

  it('lets the joiners read for themselves when the first request is out of vendor calls', async () => {
    const { client } = sharing({
      beforeUpstreamCall: (call) => {
        if (call.requestId === 'spent') throw new RequestBudgetError('maxVendorCalls', 0, 'This request reached its budget of 0 vendor calls');
      },
    });
    const mark = sandbox.ledger.mark;
    const [spent, ...others] = await Promise.allSettled([client.listEntities({ entityId: tenant.rootId, requestId: 'spent' }), ...[1, 2, 3].map((i) => client.listEntities({ entityId: tenant.rootId, requestId: `req-${i}` }))]);
    expect(spent).toMatchObject({ status: 'rejected', reason: expect.any(RequestBudgetError) });
    expect(others.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    // The refused call never went out; the joiners then shared one call of their own.
    expect(gets('zuora', mark, /^\/v1\/entities$/)).toBe(1);
  });
});

describe('m3ter: identical reads in flight share one call', () => {
  const sharing = () => {
    const client = clientFor(sandbox, 0, { shareReads: true });
    cleanups.push(() => client.close());
    return client;
  };
  const LIST = /\/externalmappings$/;

  it('answers five concurrent identical mapping lists with one call', async () => {
    const client = sharing();
    const mark = sandbox.ledger.mark;
    const pages = await five((i) => client.listMappings({ requestId: `req-${i}` }));
    expect(gets('m3ter', mark, LIST)).toBe(1);
    for (const page of pages) expect(page.mappings.map((m) => m.id)).toEqual(pages[0]!.mappings.map((m) => m.id));
    expect(pages[0]!.mappings.length).toBeGreaterThan(0);
  });

  it('sends two different reads as two calls', async () => {
    const client = sharing();
    const mark = sandbox.ledger.mark;
    await Promise.all([client.listMappings({}), client.listMappings({ externalSystem: 'Salesforce' })]);
    expect(gets('m3ter', mark, LIST)).toBe(2);
  });

  it('sends a read asked for after a create afresh, and it sees the created mapping', async () => {
    const client = sharing();
    await client.getConfiguration();
    slowNextGet('m3ter', '/externalmappings$');
    const mark = sandbox.ledger.mark;
    const before = client.listMappings({});
    await sleep(30);
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('shared-read') });
    const after = await client.listMappings({});
    await before;
    expect(after.mappings.map((m) => m.id)).toContain(created.id);
    expect(gets('m3ter', mark, LIST)).toBe(2);
  });
});

describe('Rev.io: identical reads in flight share one call', () => {
  const sharing = () => testClient(sandbox, 0, { shareReads: true }, cleanups).client;
  const KEY_LINKS = /^\/v1\/IntegrationKeyLink$/;
  const NEW_LINK: KeyLinkWrite = { integration_system_id: SALESFORCE, integration_entity_type_id: CUSTOMER, internal_id: 9002, external_id: '0012D0000SharedRd' };

  it('answers five concurrent identical key-link searches with one call', async () => {
    const client = sharing();
    const mark = sandbox.ledger.mark;
    const pages = await five((i) => client.searchKeyLinksPage({ search: { integration_system_id: SALESFORCE }, requestId: `req-${i}` }));
    expect(gets('revio', mark, KEY_LINKS)).toBe(1);
    expect(pages[0]!.records.length).toBeGreaterThan(0);
    for (const page of pages) expect(page).toEqual(pages[0]);
  });

  it('sends two different reads as two calls', async () => {
    const client = sharing();
    const mark = sandbox.ledger.mark;
    await Promise.all([client.searchKeyLinksPage({ search: { integration_system_id: SALESFORCE } }), client.searchKeyLinksPage({ search: { integration_entity_type_id: CUSTOMER } })]);
    expect(gets('revio', mark, KEY_LINKS)).toBe(2);
  });

  it('sends a read asked for after a create afresh, and it sees the created link', async () => {
    const client = sharing();
    await client.listSystems();
    slowNextGet('revio', '^/v1/IntegrationKeyLink$');
    const mark = sandbox.ledger.mark;
    const search = { external_id: NEW_LINK.external_id };
    const before = client.searchKeyLinks({ search });
    await sleep(30);
    const created = await client.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK });
    const after = await client.searchKeyLinks({ search });
    await before;
    expect(after.map((r) => r.integration_key_link_id)).toEqual([created.id]);
    expect(gets('revio', mark, KEY_LINKS)).toBe(2);
  });
});

describe('the setting, through createUpstreams', () => {
  const connect = (env: Record<string, string>): Upstreams => {
    const upstreams = createUpstreams(withSandboxUpstreams(loadConfig(env), sandbox));
    cleanups.push(() => upstreams.close());
    return upstreams;
  };

  /** Five concurrent identical reads through each vendor's provider; GETs each cost, by vendor. */
  async function fiveReadsEach(upstreams: Upstreams): Promise<Record<string, number>> {
    const zuoraEntity = sandbox.fixtures.zuora.tenants[0]!.entities[0]!.id;
    const m3ter = upstreams.m3ter.providerFor(orgOf(sandbox, 0).orgId)!;
    const revio = upstreams.revio.providerFor(sandbox.fixtures.revio.clients[0]!.clientCode)!;
    const zuora = upstreams.zuora.providerFor(zuoraEntity)!;
    // Rev.io's catalog is loaded once per client: out of the way first.
    await revio.holdsSystem('zuora', { requestId: 'warm' });
    const mark = sandbox.ledger.mark;
    await five((i) => zuora.entities(zuoraEntity, { requestId: `req-${i}` }));
    await five(async (i) => (await m3ter.linkPages({}, { requestId: `req-${i}` }))!(m3ter.linkPaging.start));
    await five(async (i) => (await revio.linkPages({}, { requestId: `req-${i}` }))!(revio.linkPaging.start));
    return {
      zuora: gets('zuora', mark, /^\/v1\/entities$/),
      m3ter: gets('m3ter', mark, /\/externalmappings$/),
      revio: gets('revio', mark, /^\/v1\/IntegrationKeyLink$/),
    };
  }

  it('is on by default: five identical reads cost one call per vendor', async () => {
    expect(await fiveReadsEach(connect({}))).toEqual({ zuora: 1, m3ter: 1, revio: 1 });
  });

  it('off (INTERLINK_SHARE_VENDOR_READS=off): five identical reads cost five calls per vendor', async () => {
    expect(await fiveReadsEach(connect({ INTERLINK_SHARE_VENDOR_READS: 'off' }))).toEqual({ zuora: 5, m3ter: 5, revio: 5 });
  });

  it('never shares a readiness probe', async () => {
    const upstreams = connect({});
    const mark = sandbox.ledger.mark;
    await Promise.all([1, 2, 3].map(() => upstreams.m3ter.probe()));
    expect(gets('m3ter', mark, /\/externalmappingconfiguration$/)).toBe(3 * upstreams.m3ter.tenantIds.length);
  });
});
