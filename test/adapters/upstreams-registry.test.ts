import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSandbox } from '../helpers/with-sandbox.js';
import { loadConfig } from '../../src/config.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { createUpstreams, type Upstreams } from '../../src/upstreams/index.js';

describe('createUpstreams over the sandbox', () => {
  const sandbox = withSandbox({ reset: false });
  let upstreams: Upstreams;

  beforeAll(async () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    upstreams = createUpstreams(withSandboxUpstreams(config, sandbox));
  });
  afterAll(() => {
    upstreams.close();
  });

  it('finds the Zuora client for any configured entity, in either id form', async () => {
    const tenant = sandbox.fixtures.zuora.tenants[1]!;
    const entity = tenant.entities[2]!;
    const hyphenated = entity.id.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toUpperCase();
    expect(upstreams.zuora.clientFor(hyphenated)).toBe(upstreams.zuora.clientFor(entity.id));
    const entities = await upstreams.zuora.clientFor(entity.id)!.listEntities({ entityId: entity.id });
    expect(entities.map((e) => e.id).sort()).toEqual(tenant.entities.map((e) => e.id).sort());
    expect(upstreams.zuora.entityIds).toHaveLength(sandbox.fixtures.zuora.tenants.reduce((n, t) => n + t.entities.length, 0));
    expect(upstreams.zuora.clientFor('0'.repeat(32))).toBeUndefined();
  });

  it('finds the m3ter client by org and the Rev.io client by client code, each reading its own tenant', async () => {
    const org = sandbox.fixtures.m3ter.orgs[2]!;
    const page = await upstreams.m3ter.clientFor(org.orgId)!.listMappings({ pageSize: 5 });
    expect(page.mappings.every((m) => org.mappings.some((f) => f.id === m.id))).toBe(true);
    const client = sandbox.fixtures.revio.clients[2]!;
    const links = await upstreams.revio.clientFor(client.clientCode.toUpperCase())!.searchKeyLinks({ search: { integration_key_link_id: 1 } });
    expect(links).toEqual([expect.objectContaining({ external_id: client.keyLinks[0]!.external_id })]);
    expect(upstreams.m3ter.clientFor('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(upstreams.revio.clientFor('nobody')).toBeUndefined();
  });
});
