/**
 * One vendor client's identical reads in flight, sent once: a read whose key matches a read still
 * in flight waits for that one's answer instead of calling the vendor again ("singleflight").
 * Nothing is kept once a read settles, so this is no cache: every read still gets an answer the
 * vendor gave after the read was asked for, or during it.
 *
 * Read-after-write within the client: a write through the client (`write`) moves the generation on
 * as it starts and again as it ends, and a read joins only a flight of the current generation. A
 * read asked for after a write's answer (the read-back after a create) never gets data fetched
 * before the write, nor during it.
 *
 *   const reads = new InFlightReads();
 *   const body = await reads.run(`GET ${path}?${query}`, () => send(path, query));
 *   await reads.write(() => post(path, json));
 *
 * A joiner gets the leader's outcome only when it is the vendor's: an answer, or an
 * `UpstreamError` (refused, rate limited, down, circuit open), which it would have got too. When
 * the leader failed for a reason of its own (its request's vendor-call budget, its call's own
 * deadline, its request's end, a bug), each joiner sends its read again (sharing among themselves).
 */
import { UpstreamError } from '../errors.js';
import { passedItsDeadline } from './call-deadline.js';

interface Flight {
  generation: number;
  answer: Promise<unknown>;
}

export class InFlightReads {
  readonly #flights = new Map<string, Flight>();
  #generation = 0;

  /**
   * `read`'s answer, or that of an identical read (same `key`) in flight since the last write
   * started or ended. `joined` is told when this call waits for another's read instead of
   * making its own.
   */
  run<T>(key: string, read: () => Promise<T>, joined?: () => void): Promise<T> {
    const flight = this.#flights.get(key);
    if (flight !== undefined && flight.generation === this.#generation) {
      joined?.();
      return (flight.answer as Promise<T>).catch((error: unknown) => {
        if (isVendorOutcome(error)) throw error;
        return this.run(key, read, joined);
      });
    }
    return this.#lead(key, read);
  }

  /** Runs a write: reads asked for from its start on never join a read begun before. */
  async write<T>(send: () => Promise<T>): Promise<T> {
    this.invalidate();
    try {
      return await send();
    } finally {
      // Again at its end: a read during the write may have seen the record before it changed.
      this.invalidate();
    }
  }

  /** No read in flight now is joined by a later one. */
  invalidate(): void {
    this.#generation += 1;
  }

  #lead<T>(key: string, read: () => Promise<T>): Promise<T> {
    let answer: Promise<T>;
    try {
      answer = read();
    } catch (error) {
      answer = Promise.reject(error);
    }
    const flight: Flight = { generation: this.#generation, answer };
    this.#flights.set(key, flight);
    // Only while in flight, and only if a newer read of the key has not taken its place.
    const forget = (): void => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    answer.then(forget, forget);
    return answer;
  }
}

/** What every reader of the same key would have got: the vendor's answer, or its failure. */
function isVendorOutcome(error: unknown): boolean {
  return error instanceof UpstreamError && !passedItsDeadline(error);
}
