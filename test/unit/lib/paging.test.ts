import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageOfArray, pageSizeOf } from '../../../src/lib/paging.js';

describe('paging', () => {
  const items = Array.from({ length: 7 }, (_, i) => i);

  it('walks a list to the end, each item once', () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ReturnType<typeof pageOfArray<number>> = pageOfArray(items, 'nums', { first: 3, after });
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });

  it('reports page boundaries', () => {
    const first = pageOfArray(items, 'nums', { first: 3 });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const last = pageOfArray(items, 'nums', { first: 5, after: first.pageInfo.endCursor });
    expect(last.nodes).toEqual([3, 4, 5, 6]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(pageOfArray([], 'nums', {}).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it.each([0, -1, 1.5, MAX_PAGE_SIZE + 1])('refuses first = %s with BAD_USER_INPUT', (first) => {
    expect(() => pageSizeOf(first)).toThrow(BadUserInputError);
  });

  it('refuses a cursor of another list, and garbage', () => {
    expect(() => pageOfArray(items, 'nums', { after: encodeCursor('other', 2) })).toThrow(/not a cursor of this list/);
    expect(() => decodeCursor('nums', '%%%')).toThrow(BadUserInputError);
    expect(() => pageOfArray(items, 'nums', { after: encodeCursor('nums', -4) })).toThrow(BadUserInputError);
  });
});
