import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import type { RevioKeyLinkRecord } from '../../sandbox/fixtures/index.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { allPages, revioTenant, type RevioTenant } from './revio-tenant.js';

const LIST = '/v1/IntegrationKeyLink';

describe('Rev.io sandbox: large data set', () => {
  let sandbox: Sandbox;
  let rv: RevioTenant;
  beforeAll(async () => {
    sandbox = await startSandbox({ size: 'large', limits: 'off' });
    rv = revioTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());

  it('clamps page_size above 500 and still returns every link once', async () => {
    expect(rv.client.keyLinks.length).toBeGreaterThan(1500);
    const pages: number[] = [];
    const records = await allPages<RevioKeyLinkRecord>(
      (page) => rv.call(`${LIST}?search.page=${page}&search.page_size=5000`),
      (res) => {
        expectMatchesSpec('revio', 'GET', LIST, 200, res.body);
        pages.push(res.body.record_count);
      },
    );
    expect(pages.slice(0, -1).every((count) => count === 500)).toBe(true);
    expect(records.map((r) => r.integration_key_link_id)).toEqual(
      rv.client.keyLinks.map((l) => l.integration_key_link_id).sort((a, b) => a - b),
    );
  });

  // Speed is measured by `npm run bench:sandbox`, never timed here (shared, noisy machines).
  it('finds each sampled link by external id among thousands', async () => {
    const sample = rv.client.keyLinks.filter((_, i) => i % 6 === 0).slice(0, 250);
    for (const link of sample) {
      const res = await rv.call(`${LIST}?search.external_id=${encodeURIComponent(link.external_id)}&search.integration_system_id=${link.integration_system_id}`);
      expect(res.body.records.map((r: RevioKeyLinkRecord) => r.integration_key_link_id)).toContain(link.integration_key_link_id);
    }
  });

  it('reads a late page of a broad filter', async () => {
    const customers = rv.client.keyLinks.filter((l) => l.integration_system_id === 11 && l.integration_entity_type_id === 2);
    const res = await rv.call(`${LIST}?search.integration_system_id=11&search.integration_entity_type_id=2&search.page=3&search.page_size=100`);
    expect(res.body.records).toEqual(customers.slice(200, 300));
    expect(res.body.has_more).toBe(customers.length > 300);
  });
});
