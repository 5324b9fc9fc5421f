/** Zuora's default and maximum page sizes for entity connections. */
export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 300;

/** `page` is 1-based; anything but a positive integer is a bad query parameter (undefined). */
export function parsePage(raw: string | null): number | undefined {
  if (raw === null) return 1;
  if (!/^\d+$/.test(raw)) return undefined;
  const page = Number(raw);
  return Number.isSafeInteger(page) && page >= 1 ? page : undefined;
}

/** `pageSize` never fails: above the maximum counts as the maximum, and anything invalid as the default. */
export function parsePageSize(raw: string | null): number {
  if (raw === null || !/^[+-]?\d+$/.test(raw.trim())) return DEFAULT_PAGE_SIZE;
  const size = Number(raw.trim());
  if (size < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(size, MAX_PAGE_SIZE);
}
