/**
 * Splits a batch of m3ter ids into row-1 requests (`m3terIds` repeated, CONTRACTS §2.2). m3ter
 * documents no limit on repeats, so two of ours apply: at most 200 ids a request (the page
 * size, so a batch is never bigger than a page could be), and at most 4,000 characters of
 * encoded ids, which keeps the request line far below the 8 KB that common servers, proxies and
 * load balancers accept. 86 UUIDs fit in one request.
 */
export const M3TER_IDS_PER_REQUEST = 200;
export const M3TER_ID_QUERY_CHARS = 4000;

export interface ChunkLimits {
  maxIds: number;
  maxQueryChars: number;
}

/** Unique non-empty ids, first occurrence first, in chunks; an id too long for any chunk gets its own. */
export function chunkM3terIds(
  ids: readonly string[],
  limits: ChunkLimits = { maxIds: M3TER_IDS_PER_REQUEST, maxQueryChars: M3TER_ID_QUERY_CHARS },
): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of new Set(ids)) {
    // m3ter ids have at least one character; an empty one cannot match anything.
    if (id === '') continue;
    const cost = `m3terIds=${encodeURIComponent(id)}&`.length;
    if (current.length > 0 && (current.length >= limits.maxIds || chars + cost > limits.maxQueryChars)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
