/**
 * What one request may still spend while it runs: its deadline, and the list items its answer
 * may hold (the answer's size, counted as it is built, so a huge answer stops before it fills
 * memory rather than after). Kept beside the context, not in it, and created at the first
 * resolver that asks, so requests that never reach a vendor pay nothing.
 *
 * The deadline holds for JavaScript work too: a resolver's own loops (an audit's rules, a graph
 * walk) call `pace`, which yields the event loop every PACE_UNITS units, so other requests run
 * between its slices, and fails the work with REQUEST_TIMEOUT once the deadline has passed. A race
 * against the deadline alone cannot stop a loop that never gives the timer a turn.
 */
import { RequestBudgetError, RequestTimeoutError } from '../errors.js';
import type { Pace } from '../lib/pace.js';
import type { QueryLimits } from './query-limits.js';

/** Units of work (links grouped, records visited) between two yields: about a millisecond of the audit's rules. */
export const PACE_UNITS = 2_000;

export interface RequestBudget {
  /** Rejects with REQUEST_TIMEOUT when the deadline passes; never resolves. */
  readonly deadline: Promise<never>;
  /** Counts `n` more list items into the answer; throws REQUEST_BUDGET_EXCEEDED past the limit. */
  countItems(n: number): void;
  /** Counts `units` of JavaScript work: a promise to await at every PACE_UNITS (it yields, then rejects past the deadline). */
  readonly pace: Pace;
  /** Stops the deadline's timer (the answer is out). */
  dispose(): void;
}

const budgets = new WeakMap<object, RequestBudget>();

/**
 * The request's budget, made by the first resolver that asks. `bindCalls` (default true): the
 * request's vendor calls are held to its deadline from now on; a mutation's first resolver says
 * false, since cutting a write mid-call turns a known outcome into an unknown one.
 */
export function requestBudget(context: object, limits: QueryLimits, { bindCalls = true }: { bindCalls?: boolean } = {}): RequestBudget {
  let budget = budgets.get(context);
  if (budget === undefined) {
    // Read before the timer starts, so the calls' deadline is never the later of the two.
    const deadlineAt = Date.now() + limits.deadlineMs;
    budget = createBudget(limits);
    budgets.set(context, budget);
    // The request's vendor calls learn its deadline with their admission (by request id, see
    // upstream-call-counter.ts): none waits for a turn, sends or retries past it.
    const calls = (context as { upstreamCalls?: { deadlineAt?: number | undefined; deadlineMs?: number | undefined } }).upstreamCalls;
    if (calls !== undefined && bindCalls) Object.assign(calls, { deadlineAt, deadlineMs: limits.deadlineMs });
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
  const deadlineAt = Date.now() + limits.deadlineMs;
  let items = 0;
  let work = 0;
  const pace: Pace = (units) => {
    work += units;
    if (work < PACE_UNITS) return undefined;
    work = 0;
    return new Promise<void>((resolve, reject) => {
      setImmediate(() => (Date.now() >= deadlineAt ? reject(new RequestTimeoutError(limits.deadlineMs)) : resolve()));
    });
  };
  return {
    deadline,
    pace,
    countItems(n) {
      items += n;
      if (items > limits.maxResultItems) throw new RequestBudgetError('maxResultItems', limits.maxResultItems, `The answer would hold more than ${limits.maxResultItems} list items; ask for smaller pages or fewer fields`);
    },
    dispose: () => clearTimeout(timer),
  };
}
