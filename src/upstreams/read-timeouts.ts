/**
 * Attempt timeouts that follow the vendor's own latency. A fixed 8 s attempt timeout lets one
 * hung call hold a caller for 8 s before its retry; a timeout of a few times the vendor's recent
 * p99 (never below `minMs`, never above the configured attempt timeout) gives the retry its
 * chance within a second or two, while a slow-but-answering vendor raises its own p99 and so its
 * timeout. http.ts keeps one for reads and one for writes; a write cut short has an unknown
 * outcome, which the gateway settles by reading the vendor before any retry.
 */
export interface ReadTimeoutOptions {
  /** The timeout is `factor` × the recent p99 (default 4). */
  factor: number;
  /** Lower bound (default 500 ms): a vendor's quick p99 must not turn a normal slow answer into a retry. */
  minMs: number;
  /** Upper bound: the configured attempt timeout. */
  maxMs: number;
  /** Answers remembered (default 200): the recent past, not the day. */
  samples: number;
  /**
   * The timeout while too few answers are remembered to judge (fewer than 20), when another
   * measure can stand in: writes, which are rarer, start from the reads' timeout. Default: the
   * upper bound.
   */
  untilKnown?: () => number;
}

/** A tenth of the default window. */
const RECOMPUTE_EVERY = 20;

export class ReadTimeouts {
  readonly #options: ReadTimeoutOptions;
  readonly #ring: number[] = [];
  #next = 0;
  #cached: number | undefined;
  /** Answers recorded since the timeout was last computed. */
  #fresh = 0;

  constructor(options: Partial<ReadTimeoutOptions> & Pick<ReadTimeoutOptions, 'maxMs'>) {
    this.#options = { factor: 4, minMs: 500, samples: 200, ...options };
  }

  /** An attempt that answered (any status) took `ms`. */
  record(ms: number): void {
    if (this.#ring.length < this.#options.samples) this.#ring.push(ms);
    else this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#options.samples;
    // Sorting the window on every call costs more than the call's own hooks; a p99 over 200
    // answers moves little in a few more, so it is computed again every RECOMPUTE_EVERY answers.
    this.#fresh += 1;
    if (this.#fresh >= RECOMPUTE_EVERY) this.#cached = undefined;
  }

  /** The attempt timeout for the next read. With too few samples to judge, the configured one. */
  timeoutMs(): number {
    if (this.#ring.length < 20) {
      const guess = this.#options.untilKnown?.();
      return guess === undefined ? this.#options.maxMs : Math.round(Math.min(this.#options.maxMs, Math.max(this.#options.minMs, guess)));
    }
    if (this.#cached === undefined) {
      this.#fresh = 0;
      const sorted = [...this.#ring].sort((a, b) => a - b);
      const p99 = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
      this.#cached = Math.round(Math.min(this.#options.maxMs, Math.max(this.#options.minMs, this.#options.factor * p99)));
    }
    return this.#cached;
  }
}
