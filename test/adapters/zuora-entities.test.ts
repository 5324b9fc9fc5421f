import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadUserInputError, ForbiddenError } from '../../src/errors.js';
import type { Entity } from '../../src/models.js';
import { toEntity } from '../../src/upstreams/zuora/mapper.js';
import type { ZuoraEntityRecord } from '../../sandbox/fixtures/types.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { closeClients, hyphenated, makeClient, rejectionOf, tenantConfig, tenantFixture, zuoraEntries, type TenantFixture } from '../helpers/vendors/zuora.js';

const sandbox = withSandbox({ size: 'medium' });
let tenant: TenantFixture;

beforeAll(async () => {
  // medium: ten entities per tenant, one of them Unprovisioned.
  tenant = tenantFixture(sandbox, 0);
});
afterEach(closeClients);

/** The domain model a seeded entity must map to, spelled out independently of the mapper. */
const domainOf = (record: ZuoraEntityRecord): Entity => ({
  id: record.id,
  name: record.name,
  displayName: record.displayName,
  status: record.status === 'Provisioned' ? 'PROVISIONED' : 'UNPROVISIONED',
  locale: record.locale,
  timezone: record.timezone,
  tenantId: record.tenantId,
  parentId: record.parentId,
});

const admin = () => makeClient(sandbox, tenantConfig(tenant.admin)).client;

describe('Zuora client: entity reads', () => {
  it('lists every entity of the tenant, as seeded', async () => {
    const entities = await admin().listEntities({ entityId: tenant.rootId });
    expectMatchesSpec('zuora', 'GET', '/v1/entities', 200, { entities, success: true });
    expect(entities.map((e) => e.id)).toEqual(tenant.fixture.entities.map((e) => e.id));
    expect(entities.map(toEntity)).toEqual(tenant.fixture.entities.map(domainOf));
  });

  it.each([
    [true, 'Provisioned'],
    [false, 'Unprovisioned'],
  ] as const)('sends provisioned=%s as a string and gets only %s entities', async (provisioned, status) => {
    const mark = sandbox.ledger.mark;
    const entities = await admin().listEntities({ entityId: tenant.rootId, provisioned });
    const expected = tenant.fixture.entities.filter((e) => e.status === status).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(entities.map((e) => e.id)).toEqual(expected);
    expect(zuoraEntries(sandbox, mark, '/v1/entities')[0]?.query).toEqual({ provisioned: String(provisioned) });
  });

});

describe('Zuora client: acting entity header', () => {
  it('sends Zuora-Entity-Ids hyphenated and lower case whatever form the caller used, and no legacy header', async () => {
    const client = admin();
    const entity = tenant.entityId(1);
    const mark = sandbox.ledger.mark;
    await client.listEntities({ entityId: entity.toUpperCase() });
    await client.listEntities({ entityId: hyphenated(entity).toUpperCase() });
    const calls = zuoraEntries(sandbox, mark, '/v1/');
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers['zuora-entity-ids']).toBe(hyphenated(entity));
      expect(call.headers).not.toHaveProperty('entityid');
      expect(call.headers).not.toHaveProperty('entityname');
      expect(call.tenant).toBe(hyphenated(entity));
    }
  });

  it('sends the request id as Zuora-Track-Id, made valid when it is not', async () => {
    const client = admin();
    const mark = sandbox.ledger.mark;
    await client.listEntities({ entityId: tenant.rootId, requestId: 'req-1234' });
    await client.listEntities({ entityId: tenant.rootId, requestId: `a:b;"c'${'x'.repeat(80)}` });
    const [plain, odd] = zuoraEntries(sandbox, mark, '/v1/');
    expect(plain?.headers['zuora-track-id']).toBe('req-1234');
    expect(odd?.headers['zuora-track-id']).toBe(`a-b--c-${'x'.repeat(57)}`);
  });

  it('refuses to act as an entity the tenant is not configured for, sending nothing', async () => {
    const other = tenantFixture(sandbox, 1);
    const mark = sandbox.ledger.mark;
    const error = await rejectionOf(admin().listEntities({ entityId: other.rootId }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.code).toBe('FORBIDDEN');
    expect(sandbox.ledger.count({ sinceSeq: mark })).toBe(0);
  });

  it('refuses an id that is neither 32 hex nor a UUID, sending nothing', async () => {
    const mark = sandbox.ledger.mark;
    const client = admin();
    expect(await rejectionOf(client.listEntities({ entityId: 'root' }))).toBeInstanceOf(BadUserInputError);
    expect(await rejectionOf(client.acceptConnection({ entityId: tenant.rootId, connectionId: '../entities' }))).toBeInstanceOf(BadUserInputError);
    expect(sandbox.ledger.count({ sinceSeq: mark })).toBe(0);
  });
});
