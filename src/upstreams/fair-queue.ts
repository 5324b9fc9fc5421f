/**
 * A queue that runs tasks under a concurrency cap and a sliding rate cap, and serves waiting
 * tasks fairly at two levels: round-robin across callers (an API key, or a JWT subject), then
 * round-robin across that caller's flows (one GraphQL request is one flow), FIFO within a flow.
 * So a request that queued 100 calls delays another request's one call by at most one turn, and
 * a caller running four such requests still gets one turn in two against a caller running one,
 * not four in five, while the caps hold exactly as before.
 *
 * Why not p-queue: it serves one FIFO (or fixed priorities), so fairness would mean feeding it
 * one task at a time from our own per-flow lists and watching its internals for a free slot.
 * Owning both the round-robin and the two counters is shorter and has no second queue to keep
 * in step. All tasks cost one slot, so deficit round-robin reduces to plain round-robin.
 */
import { RoundRobin } from './round-robin.js';

export interface FairQueueOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** At most `intervalCap` starts in any `interval` ms (sliding); absent for no rate cap. */
  rate?: { intervalCap: number; interval: number };
  /** For tests: the clock. */
  now?: () => number;
}

interface Waiting {
  start(): void;
}

/** Beside its flow, what places a task in line. */
export interface Turn {
  /** The caller the flow belongs to; calls without one share one. */
  caller?: string | undefined;
  /** Aborts the wait: the task leaves without running (its deadline, its request's end). */
  signal?: AbortSignal | undefined;
}

export class FairQueue {
  readonly #concurrency: number;
  readonly #rate: { intervalCap: number; interval: number } | undefined;
  readonly #now: () => number;
  /** Waiting tasks by caller, then by flow; each Map's insertion order is its round-robin order. */
  readonly #callers = new Map<string, RoundRobin<Waiting>>();
  /** Start times still inside the rate window, oldest first. */
  #starts: number[] = [];
  #running = 0;
  #waiting = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: FairQueueOptions) {
    this.#concurrency = options.concurrency;
    this.#rate = options.rate;
    this.#now = options.now ?? Date.now;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting, all flows together. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Runs `task` when its caller's and its flow's turns come and a slot and the rate allow. When
   * `turn.signal` aborts while the task still waits, the task leaves the queue without running
   * and the promise rejects with the signal's reason: a wait that ends takes no slot and no share
   * of the rate. Once started, the task is its own to stop.
   */
  add<T>(flow: string, task: () => Promise<T>, turn: Turn = {}): Promise<T> {
    const { caller = '', signal } = turn;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason);
        return;
      }
      const leave = (): void => {
        if (this.#remove(caller, flow, waiting)) reject(signal!.reason);
      };
      const waiting: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', leave);
          this.#running += 1;
          let result: Promise<T>;
          try {
            result = task();
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(resolve, reject).finally(() => {
            this.#running -= 1;
            this.#drain();
          });
        },
      };
      let flows = this.#callers.get(caller);
      if (flows === undefined) {
        flows = new RoundRobin<Waiting>();
        this.#callers.set(caller, flows);
      }
      flows.push(flow, waiting);
      this.#waiting += 1;
      signal?.addEventListener('abort', leave, { once: true });
      this.#drain();
    });
  }

  /** Takes a waiting task out of its flow; false when it is no longer waiting (it has started). */
  #remove(caller: string, flow: string, waiting: Waiting): boolean {
    const flows = this.#callers.get(caller);
    if (flows === undefined || !flows.remove(flow, waiting)) return false;
    // A caller with nothing left to serve gives up its place in the line.
    if (flows.size === 0) this.#callers.delete(caller);
    this.#waiting -= 1;
    return true;
  }

  #drain(): void {
    while (this.#running < this.#concurrency && this.#waiting > 0) {
      const wait = this.#rateWait();
      if (wait > 0) {
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.#drain();
        }, wait);
        return;
      }
      this.#next().start();
    }
  }

  /**
   * The next task of the caller whose turn it is, from that caller's flow whose turn it is; both
   * go to the back of their lines.
   */
  #next(): Waiting {
    const [caller, flows] = this.#callers.entries().next().value as [string, RoundRobin<Waiting>];
    const waiting = flows.shift()!;
    this.#callers.delete(caller);
    if (flows.size > 0) this.#callers.set(caller, flows);
    this.#waiting -= 1;
    if (this.#rate !== undefined) this.#starts.push(this.#now());
    return waiting;
  }

  /** 0 when a task may start now, else the ms until the oldest start leaves the window. */
  #rateWait(): number {
    if (this.#rate === undefined) return 0;
    const { intervalCap, interval } = this.#rate;
    const now = this.#now();
    while (this.#starts.length > 0 && this.#starts[0]! <= now - interval) this.#starts.shift();
    if (this.#starts.length < intervalCap) return 0;
    return Math.max(1, this.#starts[0]! + interval - now);
  }
}
