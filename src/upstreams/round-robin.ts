/**
 * Items in lists by key, served one per key per turn, FIFO within a key: the line a fair queue
 * keeps at each of its levels. A key whose list empties leaves the line; it rejoins at the back.
 */
export class RoundRobin<T> {
  /** The Map's insertion order is the line. */
  readonly #lists = new Map<string, T[]>();
  #size = 0;

  /** Items waiting, all keys together. */
  get size(): number {
    return this.#size;
  }

  push(key: string, item: T): void {
    const list = this.#lists.get(key);
    if (list === undefined) this.#lists.set(key, [item]);
    else list.push(item);
    this.#size += 1;
  }

  /** The first item of the key whose turn it is; that key goes to the back of the line. */
  shift(): T | undefined {
    const first = this.#lists.entries().next();
    if (first.done === true) return undefined;
    const [key, list] = first.value;
    const item = list.shift()!;
    this.#lists.delete(key);
    if (list.length > 0) this.#lists.set(key, list);
    this.#size -= 1;
    return item;
  }

  /** Takes `item` out of `key`'s list; false when it is not there (already served). */
  remove(key: string, item: T): boolean {
    const list = this.#lists.get(key);
    const at = list?.indexOf(item) ?? -1;
    if (list === undefined || at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) this.#lists.delete(key);
    this.#size -= 1;
    return true;
  }
}
