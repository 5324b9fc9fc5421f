/**
 * What one request may still spend while it runs: its deadline, and the list items its answer
 * may hold (the answer's size, counted as it is built, so a huge answer stops before it fills
 * memory rather than after). Kept beside the context, not in it, and created at the first
 * resolver that asks, so requests that never reach a vendor pay nothing.
 */
import { RequestBudgetError, RequestTimeoutError } from '../errors.js';
import type { QueryLimits } from './query-limits.js';

export interface RequestBudget {
  /** Rejects with REQUEST_TIMEOUT when the deadline passes; never resolves. */
  readonly deadline: Promise<never>;
  /** Counts `n` more list items into the answer; throws REQUEST_BUDGET_EXCEEDED past the limit. */
  countItems(n: number): void;
  /** Stops the deadline's timer (the answer is out). */
  dispose(): void;
}

const budgets = new WeakMap<object, RequestBudget>();

export function requestBudget(context: object, limits: QueryLimits): RequestBudget {
  let budget = budgets.get(context);
  if (budget === undefined) {
    // Read before the timer starts, so the calls' deadline is never the later of the two.
    const deadlineAt = Date.now() + limits.deadlineMs;
    budget = createBudget(limits);
    budgets.set(context, budget);
    // The request's vendor calls learn its deadline with their admission (by request id, see
    // upstream-call-counter.ts): none waits for a turn, sends or retries past it.
    const calls = (context as { upstreamCalls?: { deadlineAt?: number | undefined; deadlineMs?: number | undefined } }).upstreamCalls;
    if (calls !== undefined) Object.assign(calls, { deadlineAt, deadlineMs: limits.deadlineMs });
  }
  return budget;
}

/** Ends a request's budget, if it has one. */
export function disposeRequestBudget(context: object): void {
  budgets.get(context)?.dispose();
}

function createBudget(limits: QueryLimits): RequestBudget {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(limits.deadlineMs)), limits.deadlineMs);
    // The timer must not keep a stopping process alive.
    timer.unref();
  });
  // Nobody may be racing it when it fires; that is not an unhandled rejection.
  deadline.catch(() => undefined);
  let items = 0;
  return {
    deadline,
    countItems(n) {
      items += n;
      if (items > limits.maxResultItems) throw new RequestBudgetError('maxResultItems', limits.maxResultItems, `The answer would hold more than ${limits.maxResultItems} list items; ask for smaller pages or fewer fields`);
    },
    dispose: () => clearTimeout(timer),
  };
}
