/**
 * One (vendor, tenant)'s budget as every replica spends it, through Redis: a call takes a
 * concurrency lease and a rate token in one script (budget-scripts.ts) before it goes out, and
 * gives the lease back when it ends. Leases are extended while their calls run and lapse
 * `leaseMs` after a replica dies, so a crash frees its slots without anyone's help.
 *
 * It sits behind the process's own fair queue (TenantLimiter): the queue picks whose call goes
 * next, then that call waits here for the shared budget. Within a replica one call at a time asks
 * Redis (the others wait their turn in order), so the queue's order holds and Redis sees a few
 * requests per slot, not one per waiting call.
 *
 * While Redis is away or slow, calls go through a local queue holding this replica's share
 * (the limits divided by `INTERLINK_REPLICAS`), and back to the shared budget once it answers.
 * Replicas reconnect one by one (ioredis retries at most every 2 s), so a replica whose Redis is
 * back stays on its share for `holdMs` more, recording each call it starts in the shared budget
 * meanwhile: by the time any replica spends the shared budget again, the calls of those still on
 * their shares are counted in it, and together they stay within the vendor's limit.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FairQueue } from '../upstreams/fair-queue.js';
import { spreadRate, type TenantBudget, type TenantLimits } from '../upstreams/tenant-limiter.js';
import type { Vendor } from '../upstreams/vendor.js';
import type { BudgetCommands } from './budget-scripts.js';
import type { SharedRedis } from './shared-redis.js';

/** Keys are namespaced and versioned, so a changed layout never meets an old one. */
export const BUDGET_KEY_PREFIX = 'interlink:v1:budget:';

/** Long enough that a busy Redis never lets a live call's lease lapse; short enough that a dead replica's slots come back quickly. */
export const DEFAULT_LEASE_MS = 10_000;
/** Longer than the replicas' reconnects are apart (ioredis retries at most every 2 s). */
export const DEFAULT_HOLD_MS = 3_000;

export interface BudgetWaitEvent {
  vendor: Vendor;
  /** `shared`: waited for the budget in Redis; `local`: Redis was away, waited for this replica's share. */
  mode: 'shared' | 'local';
  waitMs: number;
}

export interface SharedBudgetOptions {
  shared: SharedRedis;
  vendor: Vendor;
  tenant: string;
  /** The vendor tenant's whole budget, as one process would spend it alone. */
  limits: TenantLimits;
  /** `INTERLINK_REPLICAS`: the divisor of the local fallback. */
  replicas: number;
  leaseMs?: number;
  /** After an outage, how long a replica stays on its share once Redis answers again. */
  holdMs?: number;
  onWait?: (event: BudgetWaitEvent) => void;
}

export class SharedBudget implements TenantBudget {
  readonly #options: SharedBudgetOptions;
  readonly #leaseMs: number;
  readonly #rateKey: string;
  readonly #leasesKey: string;
  readonly #emissionUs: number;
  readonly #toleranceUs: number;
  /** The replica's callers ask Redis one at a time, in arrival order. */
  #turn: Promise<unknown> = Promise.resolve();
  readonly #held = new Set<string>();
  #renewal: NodeJS.Timeout | undefined;
  #local: FairQueue | undefined;
  /** Set while Redis is away or failing; cleared `holdMs` after it answers again. */
  #outage: { backSince: number | undefined } | undefined;

  constructor(options: SharedBudgetOptions) {
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const base = `${BUDGET_KEY_PREFIX}${options.vendor}:${options.tenant}`;
    this.#rateKey = `${base}:rate`;
    this.#leasesKey = `${base}:leases`;
    const rate = options.limits.ratePerSecond;
    this.#emissionUs = rate === undefined ? 0 : Math.floor(1_000_000 / rate);
    // No burst: calls are spaced evenly by Redis's clock, and reach the vendor with each
    // replica's scheduling jitter on top; the headroom under the vendor's limit (m3ter: 40 of
    // 50 a second) is kept for that jitter rather than spent on bursts.
    this.#toleranceUs = 0;
  }

  /** Whether the next call would spend the shared budget rather than this replica's share. */
  get shared(): boolean {
    return !this.#onShare();
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let lease: string | undefined;
    if (!this.#onShare()) {
      try {
        lease = await this.#take();
      } catch {
        this.#outage = { backSince: undefined };
      }
    }
    if (lease === undefined) return this.#runOnShare(task, started);
    this.#report('shared', started);
    try {
      return await task();
    } finally {
      this.#release(lease);
    }
  }

  /** Whether calls go on this replica's share: Redis away, or back for less than `holdMs`. */
  #onShare(): boolean {
    const outage = this.#outage;
    if (!this.#options.shared.available()) {
      if (outage === undefined) this.#outage = { backSince: undefined };
      else outage.backSince = undefined;
      return true;
    }
    if (outage === undefined) return false;
    outage.backSince ??= Date.now();
    if (Date.now() - outage.backSince < (this.#options.holdMs ?? DEFAULT_HOLD_MS)) return true;
    this.#outage = undefined;
    return false;
  }

  /** Through the local queue; once Redis answers again, each call is recorded in the shared budget too. */
  #runOnShare<T>(task: () => Promise<T>, started: number): Promise<T> {
    return this.#localQueue().add('', async () => {
      this.#report('local', started);
      const lease = this.#options.shared.available() ? await this.#record().catch(() => undefined) : undefined;
      try {
        return await task();
      } finally {
        if (lease !== undefined) this.#release(lease);
      }
    });
  }

  /** A slot taken without waiting: this replica starts the call on its share regardless. */
  async #record(): Promise<string> {
    const leaseId = randomUUID();
    await this.#options.shared.run('budget', (redis) =>
      (redis as unknown as BudgetCommands).interlinkTakeSlot(this.#rateKey, this.#leasesKey, leaseId, this.#emissionUs, this.#toleranceUs, this.#options.limits.concurrency, this.#leaseMs, '1'),
    );
    this.#held.add(leaseId);
    this.#renewLater();
    return leaseId;
  }

  /** Waits for this replica's turn, then for a slot in Redis. */
  #take(): Promise<string> {
    const taken = this.#turn.then(() => this.#poll());
    this.#turn = taken.catch(() => undefined);
    return taken;
  }

  async #poll(): Promise<string> {
    const { shared, limits } = this.#options;
    const leaseId = randomUUID();
    for (;;) {
      const [granted, waitMs] = await shared.run('budget', (redis) =>
        (redis as unknown as BudgetCommands).interlinkTakeSlot(this.#rateKey, this.#leasesKey, leaseId, this.#emissionUs, this.#toleranceUs, limits.concurrency, this.#leaseMs, '0'),
      );
      if (granted === 1) {
        this.#held.add(leaseId);
        this.#renewLater();
        return leaseId;
      }
      // The replicas that wake for the same slot should not all ask in the same millisecond.
      const jitter = Math.random() * 3;
      await sleep(waitMs < 0 ? 5 + jitter * 3 : waitMs + jitter);
    }
  }

  #release(leaseId: string): void {
    this.#held.delete(leaseId);
    // Best effort: a lease that cannot be given back lapses by itself.
    this.#options.shared.run('budget', (redis) => redis.zrem(this.#leasesKey, leaseId)).catch(() => undefined);
  }

  /** Extends the held leases while their calls run; stops when none is held. */
  #renewLater(): void {
    if (this.#renewal !== undefined) return;
    this.#renewal = setTimeout(() => {
      this.#renewal = undefined;
      if (this.#held.size === 0) return;
      this.#options.shared
        .run('budget', (redis) => (redis as unknown as BudgetCommands).interlinkRenewLeases(this.#leasesKey, this.#leaseMs, ...this.#held))
        .catch(() => undefined);
      this.#renewLater();
    }, this.#leaseMs / 3);
    this.#renewal.unref();
  }

  #localQueue(): FairQueue {
    if (this.#local === undefined) {
      const { concurrency, ratePerSecond } = localShare(this.#options.limits, this.#options.replicas);
      this.#local = new FairQueue(ratePerSecond === undefined ? { concurrency } : { concurrency, rate: spreadRate(ratePerSecond) });
    }
    return this.#local;
  }

  #report(mode: BudgetWaitEvent['mode'], started: number): void {
    try {
      this.#options.onWait?.({ vendor: this.#options.vendor, mode, waitMs: Date.now() - started });
    } catch {
      // A metrics listener must not break the call.
    }
  }
}

/** One replica's share of a tenant's limits: at least one call in flight, the rate divided exactly. */
export function localShare(limits: TenantLimits, replicas: number): TenantLimits {
  if (replicas <= 1) return limits;
  const concurrency = Math.max(1, Math.floor(limits.concurrency / replicas));
  return limits.ratePerSecond === undefined ? { concurrency } : { concurrency, ratePerSecond: limits.ratePerSecond / replicas };
}
