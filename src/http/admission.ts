/**
 * Admission control for GraphQL requests: at most `maxConcurrent` execute at once, and up to
 * `maxQueued` more wait their turn in arrival order for at most `maxWaitMs`. Beyond that a
 * request is refused at once (503 with Retry-After), so a burst costs queue slots holding a
 * parsed body, not memory for hundreds of half-built answers, and the requests already running
 * keep their pace.
 */
export interface AdmissionOptions {
  maxConcurrent: number;
  maxQueued: number;
  maxWaitMs: number;
}

/** Frees the slot; call once, when the request is answered. */
export type Release = () => void;

export class Admission {
  readonly #options: AdmissionOptions;
  #running = 0;
  readonly #waiting: { admit: (release: Release) => void; timer: NodeJS.Timeout }[] = [];

  constructor(options: AdmissionOptions) {
    this.#options = options;
  }

  /** Requests executing now, and waiting. */
  get running(): number {
    return this.#running;
  }
  get queued(): number {
    return this.#waiting.length;
  }

  /** A slot, when one frees in time; undefined when the queue is full or the wait runs out. */
  enter(): Promise<Release | undefined> {
    if (this.#running < this.#options.maxConcurrent) return Promise.resolve(this.#slot());
    if (this.#waiting.length >= this.#options.maxQueued) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter = {
        admit: (release: Release) => resolve(release),
        timer: setTimeout(() => {
          const index = this.#waiting.indexOf(waiter);
          if (index >= 0) this.#waiting.splice(index, 1);
          resolve(undefined);
        }, this.#options.maxWaitMs),
      };
      this.#waiting.push(waiter);
    });
  }

  #slot(): Release {
    this.#running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      const next = this.#waiting.shift();
      if (next !== undefined) {
        clearTimeout(next.timer);
        next.admit(this.#slot());
      }
    };
  }
}
