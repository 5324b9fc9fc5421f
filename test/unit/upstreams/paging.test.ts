import { describe, expect, it } from 'vitest';
import { UpstreamContractError, UpstreamRejectedError } from '../../../src/errors.js';
import { collectPages } from '../../../src/lib/page-through.js';
import { m3terPages, m3terSearchParams, nextM3terPage, type M3terPageRequest } from '../../../src/upstreams/m3ter/paging.js';
import { nextRevioPage, revioPages, revioSearchParams } from '../../../src/upstreams/revio/paging.js';
import { firstZuoraPage, nextZuoraPage, zuoraPages, type ZuoraPageRequest } from '../../../src/upstreams/zuora/paging.js';

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `c${from + i}` }));
const query = (request: ZuoraPageRequest) => `${request.path}?${request.searchParams.toString()}`;

describe('Zuora paging', () => {
  it('starts at page 1 with 300 rows and keeps filters', () => {
    expect(query(firstZuoraPage('v1/entity-connections', { type: 'inbound' }))).toBe('v1/entity-connections?type=inbound&page=1&pageSize=300');
  });

  it("follows nextPage's path and query, never its host", () => {
    const next = nextZuoraPage(firstZuoraPage('v1/entity-connections'), {
      items: ids(0, 300),
      nextPage: 'https://elsewhere.example.com/v1/entity-connections?page=2&pageSize=300&type=outbound',
    });
    expect(next && query(next)).toBe('v1/entity-connections?page=2&pageSize=300&type=outbound');
  });

  it('asks for page+1 while pages are full, and stops on a short page', () => {
    const first = firstZuoraPage('v1/entity-connections');
    const second = nextZuoraPage(first, { items: ids(0, 300) });
    expect(second && query(second)).toBe('v1/entity-connections?page=2&pageSize=300');
    expect(nextZuoraPage(second!, { items: ids(300, 12) })).toBeUndefined();
  });

  it('drops repeated ids and stops when a page adds nothing new', async () => {
    const requests: string[] = [];
    const pages = zuoraPages(firstZuoraPage('v1/entity-connections'), async (request) => {
      requests.push(query(request));
      // The server ignores `page` and returns the same full page every time.
      return { items: ids(0, 300) };
    });
    const all = await collectPages(pages);
    expect(all).toHaveLength(300);
    expect(requests).toHaveLength(2);
  });

  it('stops after 100 pages', async () => {
    let calls = 0;
    const pages = zuoraPages(firstZuoraPage('v1/entity-connections'), async () => {
      calls += 1;
      return { items: ids(calls * 1000, 300) };
    });
    expect(await collectPages(pages)).toHaveLength(100 * 300);
    expect(calls).toBe(100);
  });
});

describe('m3ter paging', () => {
  it.each([undefined, null, ''])('stops when nextToken is %j', (token) => {
    expect(nextM3terPage({ pageSize: 200 }, { data: [], nextToken: token })).toBeUndefined();
  });

  it('repeats the filters on every page', () => {
    const params = m3terSearchParams({ pageSize: 200, nextToken: 'abc' }, { externalSystemId: 'Salesforce', m3terIds: ['a', 'b'] });
    expect(params.toString()).toBe('externalSystemId=Salesforce&m3terIds=a&m3terIds=b&pageSize=200&nextToken=abc');
  });

  it('pages through until nextToken runs out', async () => {
    const seen: M3terPageRequest[] = [];
    const pages = m3terPages(async (request) => {
      seen.push(request);
      return request.nextToken === undefined ? { data: [1, 2], nextToken: 't2' } : { data: [3], nextToken: null };
    }, 'listMappings');
    expect(await collectPages(pages)).toEqual([1, 2, 3]);
    expect(seen).toEqual([{ pageSize: 200 }, { pageSize: 200, nextToken: 't2' }]);
  });

  it('halves the page size once on a 413', async () => {
    const sizes: number[] = [];
    const pages = m3terPages(async (request) => {
      sizes.push(request.pageSize);
      if (request.pageSize === 200) throw new UpstreamContractError({ vendor: 'm3ter', operation: 'listMappings', status: 413, retryable: false });
      return { data: [1] };
    }, 'listMappings');
    expect(await collectPages(pages)).toEqual([1]);
    expect(sizes).toEqual([200, 100]);
  });

  it('does not hide other failures', async () => {
    const pages = m3terPages(async () => {
      throw new UpstreamRejectedError({ vendor: 'm3ter', operation: 'listMappings', status: 400, retryable: false });
    }, 'listMappings');
    await expect(collectPages(pages)).rejects.toBeInstanceOf(UpstreamRejectedError);
  });

  it('fails when a nextToken repeats', async () => {
    const pages = m3terPages(async () => ({ data: [1], nextToken: 'same' }), 'listMappings');
    await expect(collectPages(pages)).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR', vendorCode: 'PAGING_NOT_ADVANCING' });
  });
});

describe('Rev.io paging', () => {
  it('sends the prefixed paging names with page size 500', () => {
    expect(revioSearchParams({ page: 3 }, { integration_system_id: 10 }).toString()).toBe('search.integration_system_id=10&search.page=3&search.page_size=500');
  });

  it('continues while has_more', () => {
    expect(nextRevioPage({ page: 1 }, { has_more: true, records: [] })).toEqual({ page: 2 });
    expect(nextRevioPage({ page: 2 }, { has_more: false, records: [] })).toBeUndefined();
  });

  it('pages through has_more', async () => {
    const pages = revioPages(
      async ({ page }) => ({ has_more: page < 3, records: [{ integration_key_link_id: page }] }),
      (record) => record.integration_key_link_id,
      'searchKeyLinks',
    );
    expect(await collectPages(pages)).toHaveLength(3);
  });

  it("fails when a page repeats the previous page's first id", async () => {
    const pages = revioPages(async () => ({ has_more: true, records: [{ id: 1 }, { id: 2 }] }), (record) => record.id, 'searchKeyLinks');
    await expect(collectPages(pages)).rejects.toBeInstanceOf(UpstreamContractError);
  });

  it('fails after 1,000 pages', async () => {
    let calls = 0;
    const pages = revioPages(async ({ page }) => ((calls += 1), { has_more: true, records: [{ id: page }] }), (record) => record.id, 'searchKeyLinks');
    await expect(collectPages(pages)).rejects.toMatchObject({ vendor: 'revio', vendorCode: 'PAGING_NOT_ADVANCING' });
    expect(calls).toBe(1000);
  });
});
