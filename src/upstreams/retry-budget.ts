/**
 * A vendor's retry budget: retries may add at most `ratio` of the calls made in the last
 * `windowMs` (plus a small floor, so a quiet gateway can still retry at all). Retries that help
 * with a passing fault would, during an outage, multiply the load on a vendor that is already
 * failing; past the budget a failed attempt is final (and retryable for the caller).
 *
 * Counted in one-second buckets over the window: cheap to keep, and exact enough for a ratio.
 */
export interface RetryBudgetOptions {
  /** Retries per call allowed (default 0.1: at most 10% more attempts than calls). */
  ratio: number;
  /** Retries always allowed per second of the window, however few the calls (default 1). */
  minPerSecond: number;
  /** The window the ratio is counted over (default 10 s). */
  windowMs: number;
}

export const DEFAULT_RETRY_BUDGET: Readonly<RetryBudgetOptions> = { ratio: 0.1, minPerSecond: 1, windowMs: 10_000 };

export class RetryBudget {
  readonly #options: RetryBudgetOptions;
  readonly #now: () => number;
  /** Per one-second bucket: [second, calls, retries]. */
  #buckets: [number, number, number][] = [];

  constructor(options: Partial<RetryBudgetOptions> = {}, now: () => number = Date.now) {
    this.#options = { ...DEFAULT_RETRY_BUDGET, ...options };
    this.#now = now;
  }

  /** A call starts (its first attempt). */
  recordCall(): void {
    this.#bucket()[1] += 1;
  }

  /** Whether one more retry fits the budget; when it does, it is counted. */
  tryRetry(): boolean {
    const { calls, retries } = this.#totals();
    const allowed = this.#options.minPerSecond * (this.#options.windowMs / 1000) + this.#options.ratio * calls;
    if (retries + 1 > allowed) return false;
    this.#bucket()[2] += 1;
    return true;
  }

  /** Calls and retries in the window, for metrics and tests. */
  snapshot(): { calls: number; retries: number } {
    return this.#totals();
  }

  #bucket(): [number, number, number] {
    const second = Math.floor(this.#now() / 1000);
    const last = this.#buckets.at(-1);
    if (last !== undefined && last[0] === second) return last;
    const bucket: [number, number, number] = [second, 0, 0];
    this.#buckets.push(bucket);
    this.#prune(second);
    return bucket;
  }

  #totals(): { calls: number; retries: number } {
    this.#prune(Math.floor(this.#now() / 1000));
    let calls = 0;
    let retries = 0;
    for (const [, c, r] of this.#buckets) {
      calls += c;
      retries += r;
    }
    return { calls, retries };
  }

  #prune(second: number): void {
    const oldest = second - Math.ceil(this.#options.windowMs / 1000) + 1;
    while (this.#buckets.length > 0 && this.#buckets[0]![0] < oldest) this.#buckets.shift();
  }
}
