/**
 * How much of the event loop compiling may take: at most `msPerSecond` of every second. graphql-jit
 * compiles synchronously, so whatever it takes, every request in flight waits for. The field
 * bound keeps one compile to a few ms; this keeps many from adding up, as a client sending ever
 * new documents twice each would make them. Past the budget a document runs on graphql-js and is
 * compiled on a later run, once the budget allows.
 */
export class CompileBudget {
  readonly #msPerSecond: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #spentMs = 0;

  constructor(msPerSecond: number, now: () => number = () => performance.now()) {
    this.#msPerSecond = msPerSecond;
    this.#now = now;
  }

  /** Runs `work` and counts its time if the budget of this second allows; otherwise `undefined`, without running it. */
  spend<T>(work: () => T): T | undefined {
    const started = this.#now();
    if (started - this.#windowStart >= 1000) {
      this.#windowStart = started;
      this.#spentMs = 0;
    }
    if (this.#spentMs >= this.#msPerSecond) return undefined;
    try {
      return work();
    } finally {
      this.#spentMs += this.#now() - started;
    }
  }
}
