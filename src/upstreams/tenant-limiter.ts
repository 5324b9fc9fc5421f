/**
 * Client-side limits per (vendor, tenant), so one busy tenant cannot push the gateway over a
 * vendor limit that is counted per tenant, nor starve the others. The "tenant" is the unit the
 * vendor counts: the Zuora entity (concurrency is per entity), the m3ter org, the
 * Rev.io subscription key.
 *
 * Within a tenant, waiting calls are served round-robin by caller, then by flow (the gateway
 * request they belong to, see FairQueue), so one request's hundred calls do not queue ahead of
 * another's one, nor one caller's many requests ahead of another caller's one.
 *
 * With several replicas on one Redis, a call the queue lets go then waits for the tenant's
 * shared budget (`budgets`, src/shared-state/shared-budget.ts): the queue keeps the order fair
 * within this replica, the shared budget keeps all replicas together within the vendor's limit.
 */
import { FairQueue, type Turn } from './fair-queue.js';

export interface TenantLimits {
  /** Calls in flight at once, per tenant. */
  concurrency: number;
  /** Calls started per rolling second, per tenant; `undefined` for no rate cap. */
  ratePerSecond?: number;
}

/** A budget a call spends after its turn in the queue: the one every replica shares. */
export interface TenantBudget {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** The shared budget of one tenant; asked once per tenant. */
export type TenantBudgets = (tenant: string) => TenantBudget;

export class TenantLimiter {
  readonly #limits: TenantLimits;
  readonly #budgets: TenantBudgets | undefined;
  readonly #queues = new Map<string, { queue: FairQueue; budget: TenantBudget | undefined }>();

  /** Without `budgets` this process's limits are the whole budget (one replica, or no Redis). */
  constructor(limits: TenantLimits, budgets?: TenantBudgets) {
    if (!(limits.concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${limits.concurrency}`);
    // Above 0 rather than 1: a replica's share of a small rate can be a fraction (8/s over 3 replicas).
    if (limits.ratePerSecond !== undefined && !(limits.ratePerSecond > 0)) {
      throw new RangeError(`ratePerSecond must be above 0, got ${limits.ratePerSecond}`);
    }
    this.#limits = { ...limits };
    this.#budgets = budgets;
  }

  /**
   * Runs `task` once the tenant has a free slot (and rate budget) and it is the turn of its
   * caller and of its `flow`. The slot is held for the whole task: for an upstream call that
   * includes its retries and backoff, so in-flight counts never exceed the vendor's limit, and
   * the rate cap counts calls, not attempts. Calls without a flow (or a caller) share one. When
   * `turn.signal` aborts before the call's turn (its deadline, its request's end), it leaves the
   * queue unsent and rejects with the signal's reason.
   */
  run<T>(tenant: string, task: () => Promise<T>, flow = '', turn: Turn = {}): Promise<T> {
    const { queue, budget } = this.#queue(tenant);
    return queue.add(flow, budget === undefined ? task : () => budget.run(task), turn);
  }

  /** Calls running and waiting for one tenant, for metrics and tests. */
  load(tenant: string): { running: number; waiting: number } {
    const queue = this.#queues.get(tenant)?.queue;
    return { running: queue?.running ?? 0, waiting: queue?.waiting ?? 0 };
  }

  #queue(tenant: string): { queue: FairQueue; budget: TenantBudget | undefined } {
    let entry = this.#queues.get(tenant);
    if (entry === undefined) {
      const { concurrency, ratePerSecond } = this.#limits;
      const queue = new FairQueue(ratePerSecond === undefined ? { concurrency } : { concurrency, rate: spreadRate(ratePerSecond) });
      entry = { queue, budget: this.#budgets?.(tenant) };
      // One queue per configured tenant or entity: a bounded set, so queues are never evicted.
      this.#queues.set(tenant, entry);
    }
    return entry;
  }
}

/**
 * The rate budget in steps of about 100 ms (40/s → 4 per 100 ms; 8/s → 1 per 125 ms), sliding
 * (a sliding window). A whole second's budget at once would let a burst started late in one of our
 * seconds arrive in one of the vendor's fixed seconds together with the next burst.
 */
export function spreadRate(ratePerSecond: number): { intervalCap: number; interval: number } {
  const intervalCap = Math.max(1, Math.floor(ratePerSecond / 10));
  return { intervalCap, interval: (1000 * intervalCap) / ratePerSecond };
}
