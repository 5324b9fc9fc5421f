/**
 * A least-recently-used map bounded by the bytes its entries hold, as the caller sizes them (a
 * count cap lets 500 entries of 900 KB each hold 450 MB). An entry larger than the whole budget is
 * not kept at all.
 */
export class ByteLru<K, V> {
  readonly #maxBytes: number;
  /** Map keeps insertion order: the first key is the least recently used. */
  readonly #entries = new Map<K, { value: V; bytes: number }>();
  #bytes = 0;
  #evictions = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }
  get size(): number {
    return this.#entries.size;
  }
  /** Entries dropped to make room, since the start. */
  get evictions(): number {
    return this.#evictions;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
      this.#evictions += 1;
    }
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
