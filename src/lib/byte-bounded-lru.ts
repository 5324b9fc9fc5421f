/**
 * A least-recently-used map bounded by the bytes its entries hold, not only by how many there
 * are. A cache bounded by count alone holds whatever its entries weigh: 500 compiled plans of
 * large documents held gigabytes. Each entry is stored with its size, as estimated by the caller
 * (who knows what the value keeps alive); `bytes` is the sum, and it never exceeds `maxBytes`.
 * An entry larger than the whole budget is not kept at all, rather than emptying the cache for it.
 */
/** What a cache holds, for metrics and tests. */
export interface CacheSize {
  readonly bytes: number;
  readonly size: number;
  readonly maxBytes: number;
}

export interface ByteBoundedLruOptions {
  maxBytes: number;
  /** Default: no bound but bytes. */
  maxEntries?: number;
}

export class ByteBoundedLru<V> implements CacheSize {
  readonly maxBytes: number;
  readonly maxEntries: number;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;

  constructor({ maxBytes, maxEntries = Number.POSITIVE_INFINITY }: ByteBoundedLruOptions) {
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be a positive number, got ${maxBytes}`);
    if (!(maxEntries > 0)) throw new RangeError(`maxEntries must be a positive number, got ${maxEntries}`);
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /** The estimated bytes the kept entries hold. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, now the most recently used. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Map order is insertion order: re-inserting makes it the last, so the first is the one to evict.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` as weighing `bytes` (again, when its size changed), evicting the least recently used to fit. Whether it was kept. */
  set(key: string, value: V, bytes: number): boolean {
    this.delete(key);
    if (!(bytes >= 0) || bytes > this.maxBytes) return false;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.maxBytes || this.#entries.size > this.maxEntries) this.delete(this.#entries.keys().next().value!);
    return true;
  }

  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
