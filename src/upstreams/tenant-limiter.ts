/**
 * Client-side limits per (vendor, tenant), so one busy tenant cannot push the gateway over a
 * vendor limit that is counted per tenant, nor starve the others. The "tenant" is the unit the
 * vendor counts: the Zuora entity (concurrency is per entity), the m3ter org, the
 * Rev.io subscription key.
 *
 * Within a tenant, waiting calls are served round-robin by flow (the gateway request they belong
 * to, see FairQueue), so one request's hundred calls do not queue ahead of another's one.
 */
import { FairQueue } from './fair-queue.js';
import type { Vendor } from './vendor.js';

export interface TenantLimits {
  /** Calls in flight at once, per tenant. */
  concurrency: number;
  /** Calls started per rolling second, per tenant; `undefined` for no rate cap. */
  ratePerSecond?: number;
}

export class TenantLimiter {
  readonly #limits: TenantLimits;
  readonly #queues = new Map<string, FairQueue>();

  constructor(limits: TenantLimits) {
    if (!(limits.concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${limits.concurrency}`);
    if (limits.ratePerSecond !== undefined && !(limits.ratePerSecond >= 1)) {
      throw new RangeError(`ratePerSecond must be at least 1, got ${limits.ratePerSecond}`);
    }
    this.#limits = { ...limits };
  }

  /**
   * Runs `task` once the tenant has a free slot (and rate budget) and it is `flow`'s turn. The
   * slot is held for the whole task: for an upstream call that includes its retries and backoff,
   * so in-flight counts never exceed the vendor's limit, and the rate cap counts calls, not
   * attempts. Calls without a flow share one.
   */
  run<T>(tenant: string, task: () => Promise<T>, flow = ''): Promise<T> {
    return this.#queue(tenant).add(flow, task);
  }

  /** Calls running and waiting for one tenant, for metrics and tests. */
  load(tenant: string): { running: number; waiting: number } {
    const queue = this.#queues.get(tenant);
    return { running: queue?.running ?? 0, waiting: queue?.waiting ?? 0 };
  }

  #queue(tenant: string): FairQueue {
    let queue = this.#queues.get(tenant);
    if (queue === undefined) {
      const { concurrency, ratePerSecond } = this.#limits;
      queue = new FairQueue(ratePerSecond === undefined ? { concurrency } : { concurrency, rate: spreadRate(ratePerSecond) });
      // One queue per configured tenant or entity: a bounded set, so queues are never evicted.
      this.#queues.set(tenant, queue);
    }
    return queue;
  }
}

/**
 * The rate budget in steps of about 100 ms (40/s → 4 per 100 ms; 8/s → 1 per 125 ms), sliding
 * (a sliding window). A whole second's budget at once would let a burst started late in one of our
 * seconds arrive in one of the vendor's fixed seconds together with the next burst.
 */
function spreadRate(ratePerSecond: number): { intervalCap: number; interval: number } {
  const intervalCap = Math.max(1, Math.floor(ratePerSecond / 10));
  return { intervalCap, interval: (1000 * intervalCap) / ratePerSecond };
}
