import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageOfArray, pageSizeOf } from '../../../src/lib/paging.js';

describe('paging', () => {
  const items = Array.from({ length: 7 }, (_, i) => i);

  it('walks a list to the end, each item once', () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ReturnType<typeof pageOfArray<number>> = pageOfArray(items, 'nums', { first: 3, after }, 't1');
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });

  it('reports page boundaries', () => {
    const first = pageOfArray(items, 'nums', { first: 3 }, 't1');
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const last = pageOfArray(items, 'nums', { first: 5, after: first.pageInfo.endCursor }, 't1');
    expect(last.nodes).toEqual([3, 4, 5, 6]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(pageOfArray([], 'nums', {}, 't1').pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it.each([0, -1, 1.5, MAX_PAGE_SIZE + 1])('refuses first = %s with BAD_USER_INPUT', (first) => {
    expect(() => pageSizeOf(first)).toThrow(BadUserInputError);
  });

  it('refuses a cursor of another list, and garbage', () => {
    expect(() => pageOfArray(items, 'nums', { after: encodeCursor('other', 2, 't1') }, 't1')).toThrow(/not a cursor of this list/);
    expect(() => decodeCursor('nums', '%%%', 't1')).toThrow(BadUserInputError);
    expect(() => pageOfArray(items, 'nums', { after: encodeCursor('nums', -4, 't1') }, 't1')).toThrow(BadUserInputError);
  });

  it('refuses a cursor without its scope, and one of another scope, with BAD_USER_INPUT', () => {
    // No list writes a cursor without its scope; a hand-made one would slip past the tenant check.
    const unscoped = Buffer.from(JSON.stringify(['nums', 2])).toString('base64url');
    expect(() => pageOfArray(items, 'nums', { after: unscoped }, 't1')).toThrow(/carries no scope/);
    expect(() => decodeCursor('nums', unscoped, 't1')).toThrow(BadUserInputError);
    const numericScope = Buffer.from(JSON.stringify(['nums', 2, 7])).toString('base64url');
    expect(() => decodeCursor('nums', numericScope, 't1')).toThrow(BadUserInputError);
    expect(() => pageOfArray(items, 'nums', { after: encodeCursor('nums', 2, 't2') }, 't1')).toThrow(/not a cursor of this list/);
    expect(pageOfArray(items, 'nums', { after: encodeCursor('nums', 2, 't1') }, 't1').nodes[0]).toBe(3);
  });
});
