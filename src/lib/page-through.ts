/**
 * The one loop behind every vendor's paging: fetch a page, yield its items, ask the vendor's
 * cursor rule for the next request, stop when it says so or at a page cap. Each vendor's rule
 * (a next-page link, a continuation token, a "more" flag) lives in `upstreams/<vendor>/paging.ts`,
 * so the three differ only where the vendors do. Not GraphQL paging (that is `paging.ts`).
 */

export interface PageStep<Item, Cursor> {
  items: Item[];
  /** The next request, or `undefined` on the last page. */
  next: Cursor | undefined;
}

export interface PageThroughOptions {
  /** Pages fetched at most. */
  maxPages: number;
  /** What to do on reaching `maxPages` with more to go: stop quietly, or fail. */
  onMaxPages: 'stop' | (() => Error);
}

/** Yields each page's items, in order, one array per page. */
export async function* pageThrough<Item, Cursor>(
  first: Cursor,
  fetchPage: (cursor: Cursor) => Promise<PageStep<Item, Cursor>>,
  options: PageThroughOptions,
): AsyncGenerator<Item[], void, undefined> {
  let cursor: Cursor | undefined = first;
  for (let pages = 0; cursor !== undefined; pages += 1) {
    if (pages >= options.maxPages) {
      if (options.onMaxPages === 'stop') return;
      throw options.onMaxPages();
    }
    const step: PageStep<Item, Cursor> = await fetchPage(cursor);
    yield step.items;
    cursor = step.next;
  }
}

/** All items of an async page iterator, flattened. */
export async function collectPages<Item>(pages: AsyncIterable<Item[]>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const items of pages) all.push(...items);
  return all;
}
