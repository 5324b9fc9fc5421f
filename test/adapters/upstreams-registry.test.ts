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

  it('finds the Zuora directory for any configured entity, in either id form', async () => {
    const tenant = sandbox.fixtures.zuora.tenants[1]!;
    const entity = tenant.entities[2]!;
    const hyphenated = entity.id.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5').toUpperCase();
    expect(upstreams.zuora.providerFor(hyphenated)).toBe(upstreams.zuora.providerFor(entity.id));
    expect(upstreams.zuora.served(hyphenated)).toBe(entity.id);
    const entities = await upstreams.zuora.providerFor(entity.id)!.entities(entity.id, { requestId: 'test' });
    expect(entities.map((e) => e.id).sort()).toEqual(tenant.entities.map((e) => e.id).sort());
    expect(upstreams.zuora.tenantIds).toHaveLength(sandbox.fixtures.zuora.tenants.reduce((n, t) => n + t.entities.length, 0));
    expect(upstreams.zuora.providerFor('0'.repeat(32))).toBeUndefined();
  });

  it('finds the m3ter provider by org and the Rev.io provider by client code, each reading its own tenant', async () => {
    const org = sandbox.fixtures.m3ter.orgs[2]!;
    const m3ter = upstreams.m3ter.providerFor(org.orgId)!;
    const page = await (await m3ter.linkPages({}, { requestId: 'test' }))!(m3ter.linkPaging.start);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((link) => link.tenant === org.orgId && org.mappings.some((f) => f.id === link.nativeId))).toBe(true);
    const client = sandbox.fixtures.revio.clients[2]!;
    const revio = upstreams.revio.providerFor(client.clientCode.toUpperCase())!;
    const link = await revio.link('1', { requestId: 'test' });
    expect(link).toMatchObject({ provider: 'REVIO', tenant: client.clientCode, nativeId: '1', external: { id: client.keyLinks[0]!.external_id } });
    expect(upstreams.m3ter.providerFor('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(upstreams.revio.providerFor('nobody')).toBeUndefined();
  });

  it('connects every registry row, in registry order', () => {
    expect(upstreams.vendors.map(({ module }) => module.name)).toEqual(['zuora', 'm3ter', 'revio']);
  });
});
