/**
 * A queue that runs tasks under a concurrency cap and a sliding rate cap, and serves waiting
 * tasks round-robin across flows (one GraphQL request is one flow): one call per flow per turn,
 * FIFO within a flow. So a request that queued 100 calls delays another request's one call by at
 * most one turn, not by 100 calls, while the caps hold exactly as before.
 *
 * Why not p-queue: it serves one FIFO (or fixed priorities), so fairness would mean feeding it
 * one task at a time from our own per-flow lists and watching its internals for a free slot.
 * Owning both the round-robin and the two counters is shorter and has no second queue to keep
 * in step. All tasks cost one slot, so deficit round-robin reduces to plain round-robin.
 */

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

export class FairQueue {
  readonly #concurrency: number;
  readonly #rate: { intervalCap: number; interval: number } | undefined;
  readonly #now: () => number;
  /** Waiting tasks by flow; the Map's insertion order is the round-robin order. */
  readonly #flows = new Map<string, Waiting[]>();
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
   * Runs `task` when its flow's turn comes and a slot and the rate allow. When `signal` aborts
   * while the task still waits, the task leaves the queue without running and the promise rejects
   * with the signal's reason: a wait that ends takes no slot and no share of the rate. Once
   * started, the task is its own to stop.
   */
  add<T>(flow: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason);
        return;
      }
      const leave = (): void => {
        if (this.#remove(flow, waiting)) reject(signal!.reason);
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
      const queue = this.#flows.get(flow);
      if (queue === undefined) this.#flows.set(flow, [waiting]);
      else queue.push(waiting);
      this.#waiting += 1;
      signal?.addEventListener('abort', leave, { once: true });
      this.#drain();
    });
  }

  /** Takes a waiting task out of its flow; false when it is no longer waiting (it has started). */
  #remove(flow: string, waiting: Waiting): boolean {
    const queue = this.#flows.get(flow);
    const at = queue?.indexOf(waiting) ?? -1;
    if (queue === undefined || at < 0) return false;
    queue.splice(at, 1);
    // An empty flow gives up its place in the round-robin: it has nothing to be served.
    if (queue.length === 0) this.#flows.delete(flow);
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

  /** The first waiting task of the flow whose turn it is; that flow goes to the back of the line. */
  #next(): Waiting {
    const [flow, queue] = this.#flows.entries().next().value as [string, Waiting[]];
    const waiting = queue.shift()!;
    this.#flows.delete(flow);
    if (queue.length > 0) this.#flows.set(flow, queue);
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
