/**
 * In-flight query coalescing (Tailcall's `dedupe`, a CDN's request collapsing): while a query
 * executes, an identical one (same key: request-key.ts) waits for its answer instead of running
 * again. Only flights are kept: a flight is gone once its leader's answer is ready, so nothing
 * is cached.
 *
 * A flight records the write epoch (query-kinds.ts) when it starts and is joined only while the
 * epoch is unchanged: a query sent after a mutation's answer never receives an answer computed
 * before it. The leader settles its flight with the answer when it is shareable, else with
 * `undefined`, and then each joiner executes on its own, as if coalescing were off.
 */
import type { ContentEncoding } from './compress-response.js';

export const DEFAULT_MAX_JOINERS = 1000;

/** A leader's clean answer, handed to every joiner as is. */
export interface SharedAnswer {
  status: number;
  headers: readonly (readonly [string, string])[];
  /** The JSON text Apollo wrote. */
  body: string;
  /** The resolved operation's name, for joiners' log lines and metrics. */
  operationName: string | null;
  /** The request that executed it. */
  leaderRequestId: string;
  /** The body compressed per encoding, made once per flight by the first joiner that needs it. */
  compressed: Map<ContentEncoding, Promise<Buffer>>;
  /** The body as UTF-8 bytes, encoded once per flight for the leader and the joiners sent it uncompressed. */
  bytes?: Buffer;
}

/** Ends a flight: its joiners get `answer`, or run on their own when it is `undefined`. Later calls do nothing. */
export type SettleFlight = (answer: SharedAnswer | undefined) => void;

export interface QueryCoalescingOptions {
  /** The current write epoch (`QueryKinds.epoch`). */
  epoch(): number;
  /** Joiners per flight; beyond it a request executes on its own (admission as usual). Default 1,000. */
  maxJoiners?: number;
}

interface Flight {
  epoch: number;
  joiners: number;
  answer: Promise<SharedAnswer | undefined>;
}

export class QueryCoalescing {
  readonly #flights = new Map<string, Flight>();
  readonly #epoch: () => number;
  readonly #maxJoiners: number;

  constructor(options: QueryCoalescingOptions) {
    this.#epoch = options.epoch;
    this.#maxJoiners = options.maxJoiners ?? DEFAULT_MAX_JOINERS;
  }

  /** Flights in the air. */
  get size(): number {
    return this.#flights.size;
  }

  /** Whether `join(key)` would join now: worth authenticating the request for. */
  joinable(key: string): boolean {
    const flight = this.#flights.get(key);
    return flight !== undefined && flight.epoch === this.#epoch() && flight.joiners < this.#maxJoiners;
  }

  /**
   * The flight's answer (`undefined`: not shareable, execute on your own), or `undefined` when
   * there is no flight to join: none in the air, one started before a write, or one full.
   */
  join(key: string): Promise<SharedAnswer | undefined> | undefined {
    if (!this.joinable(key)) return undefined;
    const flight = this.#flights.get(key)!;
    flight.joiners += 1;
    return flight.answer;
  }

  /**
   * Starts a flight for `key`. One already in the air (stale or full: `join` said no) stays with
   * its own joiners but takes no more; later requests join this one.
   */
  lead(key: string): SettleFlight {
    let resolve!: (answer: SharedAnswer | undefined) => void;
    const flight: Flight = { epoch: this.#epoch(), joiners: 0, answer: new Promise((done) => (resolve = done)) };
    this.#flights.set(key, flight);
    let settled = false;
    return (answer) => {
      if (settled) return;
      settled = true;
      // Only its own entry: a newer flight may have taken the key.
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
      resolve(answer);
    };
  }
}
