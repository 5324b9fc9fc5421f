import { describe, expect, it } from 'vitest';
import { readUpstream, resumeFromCursor, resumeToCursor, type UpstreamPage, type UpstreamRead, type UpstreamResume } from '../../../src/lib/paging.js';

/** A vendor list of 1..8 in pages of 3 (positions are page numbers), counting its calls. */
function vendor(items = [1, 2, 3, 4, 5, 6, 7, 8], size = 3) {
  const calls: number[] = [];
  const fetchPage = async (page: number): Promise<UpstreamPage<number, number>> => {
    calls.push(page);
    const start = (page - 1) * size;
    return { items: items.slice(start, start + size), next: start + size < items.length ? page + 1 : undefined };
  };
  return { calls, fetchPage };
}

const options = (fetchPage: (at: number) => Promise<UpstreamPage<number, number>>, first: number, keep?: (n: number) => boolean) => ({
  first,
  fetchPage,
  ...(keep ? { keep } : {}),
  maxPages: 10,
  tooManyPages: () => new Error('too many pages'),
});

describe('readUpstream: one loop over every vendor paging style', () => {
  it('reads each item once, page to page, resuming from the last item returned', async () => {
    for (const first of [1, 2, 3, 4, 7, 8, 50]) {
      const { fetchPage } = vendor();
      const seen: number[] = [];
      let from: UpstreamResume<number> = { at: 1, index: -1 };
      for (let reads = 0; reads < 20; reads += 1) {
        const read: UpstreamRead<number, number> = await readUpstream(from, options(fetchPage, first));
        seen.push(...read.items.map((item) => item.node));
        if (!read.hasMore) break;
        from = read.items.at(-1)!.resume;
      }
      expect(seen, `first ${first}`).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it('applies the client-side filter and reads only the pages needed for first + 1 matches', async () => {
    const { calls, fetchPage } = vendor();
    const odd = await readUpstream({ at: 1, index: -1 }, options(fetchPage, 1, (n) => n % 2 === 1));
    expect(odd.items.map((item) => item.node)).toEqual([1]);
    expect(odd.hasMore).toBe(true);
    // 1 and 3 are both on the first page: one call.
    expect(calls).toEqual([1]);
    expect(odd.items[0]!.resume).toEqual({ at: 1, index: 0 });
    // 2 is on page 1, the 4 that says "more" on page 2: two calls.
    const even = await readUpstream({ at: 1, index: -1 }, options(fetchPage, 1, (n) => n % 2 === 0));
    expect(even.items.map((item) => item.node)).toEqual([2]);
    expect(even.hasMore).toBe(true);
    expect(calls).toEqual([1, 1, 2]);
  });

  it('resumes past a page that ended with the last item returned, and ends at the list end', async () => {
    const { calls, fetchPage } = vendor();
    const read = await readUpstream({ at: 1, index: -1 }, options(fetchPage, 3));
    expect(read.items.map((item) => item.resume)).toEqual([{ at: 1, index: 0 }, { at: 1, index: 1 }, { at: 2, index: -1 }]);
    const last = await readUpstream({ at: 3, index: 0 }, options(fetchPage, 5));
    expect(last).toEqual({ items: [{ node: 8, resume: 'end' }], hasMore: false });
    expect(calls).toEqual([1, 2, 3]);
    expect(await readUpstream('end', options(fetchPage, 5))).toEqual({ items: [], hasMore: false });
    expect(calls).toHaveLength(3);
  });

  it('says no next page when exactly first items are left', async () => {
    const { fetchPage } = vendor([1, 2, 3, 4]);
    const read = await readUpstream({ at: 1, index: -1 }, options(fetchPage, 4));
    expect(read.hasMore).toBe(false);
    expect(read.items).toHaveLength(4);
  });

  it('fails with the vendor error when paging never ends', async () => {
    const endless = async (page: number): Promise<UpstreamPage<number, number>> => ({ items: [], next: page });
    await expect(readUpstream({ at: 1, index: -1 }, options(endless, 1))).rejects.toThrow('too many pages');
  });

  it('round-trips resume positions through cursor values and refuses malformed ones', () => {
    const isPage = (at: unknown): at is number => Number.isSafeInteger(at) && (at as number) >= 1;
    for (const resume of ['end', { at: 3, index: -1 }, { at: 1, index: 7 }] as UpstreamResume<number>[]) {
      expect(resumeFromCursor(JSON.parse(JSON.stringify(resumeToCursor(resume))), isPage)).toEqual(resume);
    }
    for (const bad of [null, 'start', [1], [0, 1], [1, -2], [1, 1.5], [1, '2'], { at: 1, index: 0 }]) {
      expect(resumeFromCursor(bad, isPage), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
