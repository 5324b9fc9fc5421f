/**
 * How long-running JavaScript work (an audit's rules, a graph walk) gives way: the work calls
 * `pace(units)` as it goes, and awaits what it returns when that is a promise. The caller
 * decides what a unit costs: the request's budget yields the event loop every so many units and
 * fails the work at the request's deadline (limits/request-budget.ts); pure callers pass NO_PACE.
 * Between yields it returns `undefined`, and the work goes on without an `await`: an `await` per
 * unit would suspend the loop once per link.
 */
export type Pace = (units: number) => Promise<void> | undefined;

/** Work that never yields and has no deadline: for pure uses and unit tests. */
export const NO_PACE: Pace = () => undefined;
