import { describe, expect, it } from 'vitest';
import { RequestBudgetError, UpstreamRateLimitedError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../../src/errors.js';
import { deepFreeze } from '../../../src/lib/deep-freeze.js';
import { collectPages } from '../../../src/lib/page-through.js';
import { deadlinePassed } from '../../../src/upstreams/call-deadline.js';
import { InFlightReads } from '../../../src/upstreams/in-flight-reads.js';
import { readSharing } from '../../../src/upstreams/read-sharing.js';
import { configurationBody, mappingBody, pageBody } from '../../../src/upstreams/m3ter/m3ter-bodies.js';
import { externalLinkFromMapping, mappingConfigurationFrom } from '../../../src/upstreams/m3ter/mapper.js';
import { m3terPages } from '../../../src/upstreams/m3ter/paging.js';
import { createSystemNames } from '../../../src/upstreams/m3ter/system-names.js';
import { entityTypeFilters, matchesEntityTypeSearch, matchesSystemSearch, systemFilters, type EntityTypeRecord, type SystemRecord } from '../../../src/upstreams/revio/catalog-search.js';
import { keyLinkFilters, matchesKeyLinkSearch, type KeyLinkRecord, type KeyLinkSearch } from '../../../src/upstreams/revio/key-link-search.js';
import { toExternalLink, toIntegrationEntityType, toIntegrationSystem } from '../../../src/upstreams/revio/mapper.js';
import { revioCollection } from '../../../src/upstreams/revio/revio-collection.js';
import type { RevioHttp } from '../../../src/upstreams/revio/revio-http.js';
import { revioReconcile } from '../../../src/upstreams/revio/revio-reconcile.js';
import { toConnection, toEntity } from '../../../src/upstreams/zuora/mapper.js';
import { positionOf, requestAt } from '../../../src/upstreams/zuora/connection-position.js';
import { nextZuoraPage, zuoraPages } from '../../../src/upstreams/zuora/paging.js';
import { connectionsBody, entitiesBody } from '../../../src/upstreams/zuora/zuora-bodies.js';

/** A read the test settles by hand, counting how often it was sent. */
function manualRead<T>() {
  const sent: { resolve: (value: T) => void; reject: (error: unknown) => void }[] = [];
  const read = () => new Promise<T>((resolve, reject) => sent.push({ resolve, reject }));
  return { read, sent };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const unavailable = () => new UpstreamUnavailableError({ vendor: 'zuora', operation: 'listEntities', status: 503, retryable: true });

describe('InFlightReads: joining', () => {
  it('answers identical reads in flight with one read, the same value to each', async () => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<{ rows: number[] }>();
    let joined = 0;
    const answers = Promise.all([1, 2, 3, 4, 5].map(() => reads.run('GET v1/entities', read, () => (joined += 1))));
    expect(sent).toHaveLength(1);
    const body = { rows: [1, 2] };
    sent[0]!.resolve(body);
    const values = await answers;
    expect(values.every((value) => value === body)).toBe(true);
    expect(joined).toBe(4);
  });

  it('sends reads of different keys each on their own', () => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    void reads.run('GET a', read);
    void reads.run('GET a?page=2', read);
    void reads.run('e1 GET a', read);
    expect(sent).toHaveLength(3);
  });

  it('does not join a read that has settled: the next one is sent afresh', async () => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    const first = reads.run('GET a', read);
    sent[0]!.resolve('old');
    expect(await first).toBe('old');
    const second = reads.run('GET a', read);
    expect(sent).toHaveLength(2);
    sent[1]!.resolve('new');
    expect(await second).toBe('new');
  });

  it('does not join a failed read once it has failed', async () => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    const first = reads.run('GET a', read);
    sent[0]!.reject(unavailable());
    await expect(first).rejects.toBeInstanceOf(UpstreamUnavailableError);
    void reads.run('GET a', read);
    expect(sent).toHaveLength(2);
  });
});

describe('InFlightReads: read after write', () => {
  it('starts a new read when a write started since the flight began', async () => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    const before = reads.run('GET a', read);
    const write = manualRead<string>();
    const writing = reads.write(write.read);
    const during = reads.run('GET a', read);
    expect(sent).toHaveLength(2);
    // Reads asked for during the same write may share.
    void reads.run('GET a', read);
    expect(sent).toHaveLength(2);
    write.sent[0]!.resolve('written');
    await writing;
    sent[0]!.resolve('before');
    sent[1]!.resolve('during');
    expect(await before).toBe('before');
    expect(await during).toBe('during');
  });

  it('starts a new read when a write ended since the flight began, whatever its outcome', async () => {
    for (const outcome of ['resolve', 'reject'] as const) {
      const reads = new InFlightReads();
      const { read, sent } = manualRead<string>();
      const write = manualRead<string>();
      const writing = reads.write(write.read).catch(() => 'failed');
      // Begun while the write is out: it may have read the record before the change.
      const during = reads.run('GET a', read);
      if (outcome === 'resolve') write.sent[0]!.resolve('created');
      else write.sent[0]!.reject(unavailable());
      await writing;
      const after = reads.run('GET a', read);
      expect(sent, outcome).toHaveLength(2);
      sent[0]!.resolve('stale');
      sent[1]!.resolve('fresh');
      expect(await during).toBe('stale');
      expect(await after).toBe('fresh');
    }
  });

  it('keeps the newer flight when the older one settles after it', async () => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    const old = reads.run('GET a', read);
    reads.invalidate();
    const fresh = reads.run('GET a', read);
    sent[0]!.resolve('old');
    await old;
    // The older flight's end must not forget the newer one.
    const joiner = reads.run('GET a', read);
    expect(sent).toHaveLength(2);
    sent[1]!.resolve('fresh');
    expect(await fresh).toBe('fresh');
    expect(await joiner).toBe('fresh');
  });
});

describe('InFlightReads: failures', () => {
  it.each([
    ['unavailable', unavailable()],
    ['rate limited', new UpstreamRateLimitedError({ vendor: 'm3ter', operation: 'listMappings', status: 429, retryable: true })],
    ['circuit open', new UpstreamUnavailableError({ vendor: 'revio', operation: 'searchKeyLinks', vendorCode: 'CIRCUIT_OPEN', retryable: true, attempts: 0 })],
    ['timed out on every attempt', new UpstreamTimeoutError({ vendor: 'zuora', operation: 'listEntities', retryable: true, attempts: 3 })],
  ])('shares a vendor failure (%s) with every joiner: each would have got it', async (_name, error) => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    const all = [1, 2, 3].map(() => reads.run('GET a', read).catch((reason: unknown) => reason));
    sent[0]!.reject(error);
    expect(await Promise.all(all)).toEqual([error, error, error]);
    expect(sent).toHaveLength(1);
  });

  it.each([
    ["the leader's request budget", new RequestBudgetError('maxVendorCalls', 3, 'This request reached its budget of 3 vendor calls')],
    ["the leader's own deadline", deadlinePassed(new UpstreamTimeoutError({ vendor: 'zuora', operation: 'listEntities', retryable: true, attempts: 1 }))],
    ['a bug', new TypeError('cannot read x of undefined')],
  ])('lets the joiners read for themselves when the leader fails for a reason of its own (%s)', async (_name, error) => {
    const reads = new InFlightReads();
    const { read, sent } = manualRead<string>();
    const leader = reads.run('GET a', read).catch((reason: unknown) => reason);
    const joiners = [1, 2].map(() => reads.run('GET a', read));
    sent[0]!.reject(error);
    expect(await leader).toBe(error);
    await tick();
    // The joiners send one read between them, not one each.
    expect(sent).toHaveLength(2);
    sent[1]!.resolve('theirs');
    expect(await Promise.all(joiners)).toEqual(['theirs', 'theirs']);
  });

  it('fails a read that throws before it is sent, as a rejection', async () => {
    const reads = new InFlightReads();
    const refused = new RequestBudgetError('maxVendorCalls', 0, 'no calls left');
    await expect(
      reads.run('GET a', () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
  });
});

describe('readSharing', () => {
  it('is no wrapper at all when the setting is off', async () => {
    const sharing = readSharing('zuora', { shareReads: false });
    let sent = 0;
    const read = async () => ({ n: (sent += 1) });
    const answers = await Promise.all([1, 2, 3].map(() => sharing.read('GET a', { operation: 'listEntities' }, read)));
    expect(answers.map((a) => a.n)).toEqual([1, 2, 3]);
    expect(await sharing.write(async () => 'done')).toBe('done');
  });

  it('reports each joined read to onSharedRead, and a throwing listener breaks nothing', async () => {
    const events: unknown[] = [];
    const sharing = readSharing('m3ter', {
      shareReads: true,
      onSharedRead: (event) => {
        events.push(event);
        throw new Error('listener bug');
      },
    });
    const { read, sent } = manualRead<string>();
    const all = ['r1', 'r2', 'r3'].map((requestId) => sharing.read('GET a', { operation: 'listMappings', requestId }, read));
    sent[0]!.resolve('body');
    expect(await Promise.all(all)).toEqual(['body', 'body', 'body']);
    expect(events).toEqual([
      { vendor: 'm3ter', operation: 'listMappings', requestId: 'r2' },
      { vendor: 'm3ter', operation: 'listMappings', requestId: 'r3' },
    ]);
  });
});

/**
 * A shared body reaches every caller that joined its read, so no reader may change it. Each body
 * here is deeply frozen (a write to it throws in strict code) and read as the clients read theirs,
 * twice, as two callers would.
 */
describe('shared bodies are never changed by their readers', () => {
  it('Zuora: entity and connection bodies through checks, paging and the mapper', async () => {
    const entities = deepFreeze({
      success: true,
      entities: [
        { id: 'e'.repeat(32), name: 'Root', displayName: 'Root', status: 'Provisioned', locale: 'en_US', timezone: 'UTC', tenantId: '9', parentId: null },
        { id: 'f'.repeat(32), name: 'Child', displayName: 'Child', status: 'Unprovisioned', locale: 'en_US', timezone: 'UTC', tenantId: 9, parentId: 'e'.repeat(32) },
      ],
    });
    const connections = deepFreeze({
      success: true,
      entityConnections: [
        { id: 'c1', status: 'Connected', sourceEntityId: 'e'.repeat(32), targetEntityId: 'f'.repeat(32), type: 'outbound' },
        { id: 'c1', status: 'Connected', sourceEntityId: 'e'.repeat(32), targetEntityId: 'f'.repeat(32), type: 'outbound' },
        { id: 'c2', status: 'Pending', sourceEntityId: 'f'.repeat(32), targetEntityId: 'e'.repeat(32), type: 'inbound' },
      ],
      nextPage: null,
    });
    for (let reader = 0; reader < 2; reader += 1) {
      expect(entitiesBody(entities, 'listEntities').map(toEntity).map((e) => e.status)).toEqual(['PROVISIONED', 'UNPROVISIONED']);
      const request = requestAt({ page: 1, pageSize: 2 });
      const page = connectionsBody(connections, 'listConnections');
      const next = nextZuoraPage(request, page);
      expect(next && positionOf(next, request)).toEqual({ page: 2, pageSize: 2 });
      const all = await collectPages(zuoraPages(request, async (r) => (r.searchParams.get('page') === '1' ? page : { items: [] })));
      expect(all.map(toConnection).map((c) => c.id)).toEqual(['c1', 'c2']);
    }
  });

  it('m3ter: list pages, a mapping and the configuration through checks, paging, system names and the mapper', async () => {
    const mapping = (id: string) => ({ id, m3terEntity: 'Account', m3terId: `a-${id}`, externalSystem: 'Salesforce', externalTable: 'Account', externalId: `001${id}`, version: 1, dtCreated: '2024-01-01T00:00:00Z' });
    const first = deepFreeze({ data: [mapping('1'), mapping('2')], nextToken: 't2' });
    const last = deepFreeze({ data: [mapping('3')], nextToken: '' });
    const one = deepFreeze(mapping('4'));
    const configuration = deepFreeze({ m3terEntities: ['Account', ''], externalSystems: [{ name: 'Salesforce', tables: ['Account'] }, { name: '' }] });
    for (let reader = 0; reader < 2; reader += 1) {
      const pages = m3terPages(async (request) => {
        const body = pageBody(request.nextToken === undefined ? first : last, 'listMappings');
        return { data: body.mappings, nextToken: body.nextToken };
      }, 'listMappings');
      const rows = await collectPages(pages);
      expect(rows.filter((row) => row.id !== '2').map((row) => externalLinkFromMapping(row, 'org').nativeId)).toEqual(['1', '3']);
      expect(externalLinkFromMapping(mappingBody(one, 'getMapping'), 'org').version).toBe(1);
      expect(mappingConfigurationFrom(configurationBody(configuration, 'getConfiguration')).externalSystems).toEqual([{ name: 'Salesforce', tables: ['Account'], allowCustomExternalTables: false }]);
      const names = createSystemNames({ load: async () => configurationBody(configuration, 'getConfiguration') });
      expect(await names.spelling('SALESFORCE')).toBe('Salesforce');
    }
  });

  it('Rev.io: collection pages through the client-side filters, paging, reconciliation and the mapper', async () => {
    const link = (id: number, externalId: string) => ({ integration_key_link_id: id, integration_system_id: 4, integration_entity_type_id: 2, internal_id: 1000 + id, external_id: externalId, created_date: '2024-01-01T00:00:00', created_by: 7 });
    const bodies = new Map<string, unknown>([
      ['1', deepFreeze({ has_more: true, record_count: 2, records: [link(1, 'ABC'), link(2, 'abc')] })],
      ['2', deepFreeze({ has_more: false, record_count: 1, records: [link(3, 'ABC')] })],
    ]);
    const systems = deepFreeze({ has_more: false, records: [{ integration_system_id: 4, system_name: 'SALESFORCE' }] });
    const types = deepFreeze({ has_more: false, records: [{ integration_entity_type_id: 2, entity_type_name: 'CUSTOMER' }] });
    // The collection over a stand-in transport that answers the same frozen bodies to every read, shared.
    const http = {
      got: {
        get: (path: string, options: { searchParams: URLSearchParams }) => ({
          json: async () => (path.endsWith('KeyLink') ? bodies.get(options.searchParams.get('search.page')!) : path.endsWith('System') ? systems : types),
        }),
      },
      context: (operation: string) => ({ operation }),
      reads: readSharing('revio', { shareReads: true }),
      close: () => undefined,
    } as unknown as RevioHttp;
    const keyLinks = revioCollection(http, { path: 'v1/IntegrationKeyLink', operation: 'searchKeyLinks', idOf: (r: KeyLinkRecord) => r.integration_key_link_id, filters: keyLinkFilters, matches: matchesKeyLinkSearch });
    const systemList = revioCollection(http, { path: 'v1/IntegrationSystem', operation: 'listSystems', idOf: (r: SystemRecord) => r.integration_system_id, filters: systemFilters, matches: matchesSystemSearch });
    const typeList = revioCollection(http, { path: 'v1/IntegrationEntityType', operation: 'listEntityTypes', idOf: (r: EntityTypeRecord) => r.integration_entity_type_id, filters: entityTypeFilters, matches: matchesEntityTypeSearch });
    const names = { systems: new Map([[4, 'SALESFORCE']]), entityTypes: new Map([[2, 'CUSTOMER']]) };
    const search: KeyLinkSearch = { external_id: 'ABC' };
    // Two callers at once, as shared reads hand them the same bodies.
    const [a, b] = await Promise.all([keyLinks.all({ search }), keyLinks.all({ search })]);
    expect(a.map((r) => r.integration_key_link_id)).toEqual([1, 3]);
    expect(b).toEqual(a);
    expect((await keyLinks.page({ search, page: 1 })).records.map((r) => toExternalLink(r, 'acme', names).external.id)).toEqual(['ABC']);
    expect(revioReconcile.replaced(a[0]!, { integration_system_id: 4, integration_entity_type_id: 2, internal_id: 1001, external_id: 'ABC' })).toBe(true);
    expect((await systemList.all({ search: { system_name: 'salesforce' } })).map(toIntegrationSystem)).toEqual([{ id: 4, name: 'SALESFORCE' }]);
    expect((await typeList.all()).map(toIntegrationEntityType)).toEqual([{ id: 2, name: 'CUSTOMER' }]);
  });
});
