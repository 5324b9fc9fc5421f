/**
 * Admission control for GraphQL requests, decided before a request's body is read:
 *
 * - at most `maxConcurrent` execute at once, and up to `maxQueued` more wait their turn for at
 *   most `maxWaitMs`; beyond that a request is refused at once (503 with Retry-After);
 * - every admitted request reserves the bytes it may hold (its body, and what parsing it can
 *   become) from one `maxBytes` budget before it reads a byte, so memory is admitted before it is
 *   spent: a burst of large bodies waits in the kernel's socket buffers, not in the heap;
 * - slots are shared fairly between callers (API keys): a caller holding its share of the slots
 *   (an even split between the callers running or waiting) takes another only while more than
 *   `reservedSlots` stay free, and a freed slot goes to the waiting caller holding the fewest.
 *   One key's flood or slow requests therefore leave room for every other key's next request,
 *   while a lone caller may still use most of the slots. Queue places are shared the same way.
 */
export interface AdmissionOptions {
  maxConcurrent: number;
  maxQueued: number;
  maxWaitMs: number;
  /** Bytes all admitted requests may hold together. Default: no byte budget. */
  maxBytes?: number;
  /** Slots (and queue places) a caller past its share may not take. Default: a quarter of each. */
  reservedSlots?: number;
}

export interface AdmissionTicket {
  /** Whose request: slots are shared fairly between callers. Default: one anonymous caller. */
  caller?: string;
  /** What the request may hold in memory while admitted. Default 0. */
  bytes?: number;
}

/** Frees the slot and the bytes; call once, when the request is answered. */
export type Release = () => void;

interface Waiter {
  caller: string;
  bytes: number;
  admit: (release: Release) => void;
  timer: NodeJS.Timeout;
}

const ANONYMOUS = '';

export class Admission {
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  readonly #maxWaitMs: number;
  readonly #maxBytes: number;
  readonly #reservedSlots: number;
  readonly #reservedQueue: number;
  #running = 0;
  #bytes = 0;
  readonly #runningBy = new Map<string, number>();
  readonly #waiting: Waiter[] = [];
  readonly #waitingBy = new Map<string, number>();
  /** When each active caller was last given a slot: ties go to the one served longest ago. */
  readonly #servedAt = new Map<string, number>();
  #served = 0;

  constructor(options: AdmissionOptions) {
    this.#maxConcurrent = options.maxConcurrent;
    this.#maxQueued = options.maxQueued;
    this.#maxWaitMs = options.maxWaitMs;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#reservedSlots = Math.min(options.reservedSlots ?? Math.floor(options.maxConcurrent / 4), options.maxConcurrent - 1);
    this.#reservedQueue = Math.floor(options.maxQueued / 4);
  }

  /** Requests executing now, and waiting. */
  get running(): number {
    return this.#running;
  }
  get queued(): number {
    return this.#waiting.length;
  }
  /** Bytes reserved by the requests admitted now. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * A slot, when one frees in time; undefined when the line is full (for this caller), the wait
   * runs out, or the request alone needs more bytes than the whole budget.
   */
  enter(ticket: AdmissionTicket = {}): Promise<Release | undefined> {
    const caller = ticket.caller ?? ANONYMOUS;
    const bytes = ticket.bytes ?? 0;
    if (bytes > this.#maxBytes) return Promise.resolve(undefined);
    // Nobody waits ahead of it, or it is the caller a freed slot would go to anyway.
    if (this.#mayRun(caller, bytes) && !this.#waiting.some((waiter) => this.#ranksBefore(waiter.caller, caller))) {
      return Promise.resolve(this.#slot(caller, bytes));
    }
    if (!this.#mayQueue(caller)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        caller,
        bytes,
        admit: (release) => resolve(release),
        timer: setTimeout(() => {
          this.#leaveLine(waiter);
          resolve(undefined);
          // Its place may have held back a smaller request behind it.
          this.#admitWaiting();
        }, this.#maxWaitMs),
      };
      this.#waiting.push(waiter);
      add(this.#waitingBy, caller, 1);
    });
  }

  /**
   * An even split of the slots between the callers running or waiting, this one included, and
   * never the reserve: a lone caller's share leaves room for the next caller to arrive.
   */
  #share(total: number, reserved: number, caller: string): number {
    const callers = new Set([...this.#runningBy.keys(), ...this.#waitingBy.keys(), caller]).size;
    return Math.max(1, Math.min(Math.floor(total / callers), total - reserved));
  }

  #mayRun(caller: string, bytes: number): boolean {
    if (this.#running >= this.#maxConcurrent || this.#bytes + bytes > this.#maxBytes) return false;
    const held = this.#runningBy.get(caller) ?? 0;
    return held < this.#share(this.#maxConcurrent, this.#reservedSlots, caller) || this.#maxConcurrent - this.#running > this.#reservedSlots;
  }

  #mayQueue(caller: string): boolean {
    if (this.#waiting.length >= this.#maxQueued) return false;
    const held = this.#waitingBy.get(caller) ?? 0;
    return held < this.#share(this.#maxQueued, this.#reservedQueue, caller) || this.#maxQueued - this.#waiting.length > this.#reservedQueue;
  }

  /** Whether a waiting `other` is owed the next slot before `caller` (its own earlier requests are). */
  #ranksBefore(other: string, caller: string): boolean {
    return other === caller || this.#owedBefore(other, caller);
  }

  /** Whether `caller` is owed a slot before `other`: it holds fewer, or as many and was served longer ago. */
  #owedBefore(caller: string, other: string): boolean {
    const held = this.#runningBy.get(caller) ?? 0;
    const otherHeld = this.#runningBy.get(other) ?? 0;
    if (held !== otherHeld) return held < otherHeld;
    return (this.#servedAt.get(caller) ?? -1) < (this.#servedAt.get(other) ?? -1);
  }

  #slot(caller: string, bytes: number): Release {
    this.#servedAt.set(caller, (this.#served += 1));
    this.#running += 1;
    this.#bytes += bytes;
    add(this.#runningBy, caller, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      this.#bytes -= bytes;
      add(this.#runningBy, caller, -1);
      if (!this.#runningBy.has(caller) && !this.#waitingBy.has(caller)) this.#servedAt.delete(caller);
      this.#admitWaiting();
    };
  }

  /** Hands freed slots on: to the waiting caller holding the fewest, in arrival order within a caller. */
  #admitWaiting(): void {
    for (;;) {
      let next: Waiter | undefined;
      for (const waiter of this.#waiting) {
        if (!this.#mayRun(waiter.caller, waiter.bytes)) continue;
        if (next === undefined || this.#owedBefore(waiter.caller, next.caller)) next = waiter;
      }
      if (next === undefined) return;
      this.#leaveLine(next);
      clearTimeout(next.timer);
      next.admit(this.#slot(next.caller, next.bytes));
    }
  }

  #leaveLine(waiter: Waiter): void {
    const index = this.#waiting.indexOf(waiter);
    if (index < 0) return;
    this.#waiting.splice(index, 1);
    add(this.#waitingBy, waiter.caller, -1);
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count === 0) counts.delete(key);
  else counts.set(key, count);
}
