/**
 * Zuora writes entity ids as 32 lower-case hex characters in payloads, but as hyphenated
 * 8-4-4-4-12 UUIDs in token scopes and the `Zuora-Entity-Ids` header.
 */
const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT = /^[0-9a-f]{32}$/i;

export function isHyphenatedId(value: string): boolean {
  return value.length === 36 && HYPHENATED.test(value);
}

export function isCompactId(value: string): boolean {
  return value.length === 32 && COMPACT.test(value);
}

/** `8a80825555a3c7a10155b460f53858e6` → `8a808255-55a3-c7a1-0155-b460f53858e6`. */
export function hyphenate(compact: string): string {
  const id = compact.toLowerCase();
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

/** The payload form of a hyphenated id, lower-cased (headers compare case-insensitively). */
export function compact(hyphenated: string): string {
  return hyphenated.replaceAll('-', '').toLowerCase();
}
