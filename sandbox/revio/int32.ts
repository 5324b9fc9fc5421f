const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;

/**
 * Parses a query or path value as a 32-bit integer (Rev.io ids and paging are int32).
 * Only optional minus and digits; anything else, or a value outside int32, is `undefined`.
 */
export function parseInt32(text: string): number | undefined {
  if (!/^-?\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
}

/** Whether a JSON value is an integer that fits int32 (`4.0` counts; `"4"` and `4.5` don't). */
export function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}
