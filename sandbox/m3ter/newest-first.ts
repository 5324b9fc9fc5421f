import type { M3terMappingRecord } from '../fixtures/types.js';

/** A mapping as the store holds it: the wire record plus its sort key, parsed once. */
export interface StoredMapping {
  readonly createdMs: number;
  readonly id: string;
  /** Replaced (never mutated) on update, so a response body can never change under a reader. */
  data: M3terMappingRecord;
}

/** A position in the newest-first order; nextToken carries one. */
export interface MappingCursor {
  readonly createdMs: number;
  readonly id: string;
}

/** The list order, newest first as m3ter lists: `dtCreated` descending, then `id` ascending. */
export function compareNewestFirst(a: MappingCursor, b: MappingCursor): number {
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Index of the first item that sorts strictly after `cursor` (0 without a cursor); binary search. */
export function firstAfter(list: readonly StoredMapping[], cursor: MappingCursor | undefined): number {
  if (cursor === undefined) return 0;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareNewestFirst(list[mid] as StoredMapping, cursor) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Inserts in order. New mappings are the newest, so this lands at the front and costs one shift,
 * never a sort; the binary search keeps the order right even when the clock is behind the seed.
 */
export function insertSorted(list: StoredMapping[], item: StoredMapping): void {
  list.splice(firstAfter(list, item), 0, item);
}

export function removeSorted(list: StoredMapping[], item: StoredMapping): void {
  // Ids are unique, so the item sits just before the first position after it.
  const at = firstAfter(list, item) - 1;
  if (at >= 0 && list[at] === item) list.splice(at, 1);
}

/**
 * Up to `limit` items after `cursor` that pass `keep`, scanning from the cursor's position.
 * Callers ask for one more than the page size to learn whether another page exists.
 */
export function takeAfter(
  list: readonly StoredMapping[],
  cursor: MappingCursor | undefined,
  limit: number,
  keep?: (item: StoredMapping) => boolean,
): StoredMapping[] {
  const out: StoredMapping[] = [];
  for (let i = firstAfter(list, cursor); i < list.length && out.length < limit; i++) {
    const item = list[i] as StoredMapping;
    if (!keep || keep(item)) out.push(item);
  }
  return out;
}
