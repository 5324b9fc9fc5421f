/** One page of a list, and whether anything follows it. */
export interface Page<R> {
  records: R[];
  hasMore: boolean;
}

/**
 * A page of `items` that are all matches: a plain slice, so the work is proportional to the page.
 */
export function sliceOf<T, R>(items: readonly T[], map: (item: T) => R, page: number, size: number): Page<R> {
  const start = (page - 1) * size;
  const end = start + size;
  const records: R[] = [];
  for (let i = start; i < end && i < items.length; i++) records.push(map(items[i] as T));
  return { records, hasMore: end < items.length };
}

/**
 * A page of the `items` that `pick` accepts (it returns the record, or undefined to skip), in
 * the order given. Stops at the first match after the page, so `hasMore` costs one extra match.
 */
export function pageOf<T, R>(items: Iterable<T>, pick: (item: T) => R | undefined, page: number, size: number): Page<R> {
  let skip = (page - 1) * size;
  const records: R[] = [];
  for (const item of items) {
    const record = pick(item);
    if (record === undefined) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (records.length === size) return { records, hasMore: true };
    records.push(record);
  }
  return { records, hasMore: false };
}
