/**
 * The request budget's `pace`: JavaScript work (an audit's rules, a graph walk) gives the event
 * loop a turn every PACE_UNITS units and stops at the deadline, which a race against the deadline
 * alone cannot do for a loop that never awaits a timer.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../../src/limits/query-limits.js';
import { disposeRequestBudget, PACE_UNITS, requestBudget } from '../../../src/limits/request-budget.js';

describe('requestBudget().pace', () => {
  it('returns nothing to wait for between yields, and a turn of the event loop at every PACE_UNITS units', async () => {
    const context = {};
    const { pace } = requestBudget(context, DEFAULT_QUERY_LIMITS);
    expect(pace(PACE_UNITS - 1)).toBeUndefined();
    let other = false;
    setImmediate(() => {
      other = true;
    });
    const turn = pace(1);
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    // Work queued before the yield ran before the work went on.
    expect(other).toBe(true);
    expect(pace(1)).toBeUndefined();
    disposeRequestBudget(context);
  });

  it('fails the work with REQUEST_TIMEOUT at its first yield past the deadline', async () => {
    const context = {};
    const { pace } = requestBudget(context, { ...DEFAULT_QUERY_LIMITS, deadlineMs: 5 });
    const started = Date.now();
    while (Date.now() - started < 10);
    await expect(pace(PACE_UNITS)).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', details: { deadlineMs: 5 } });
    disposeRequestBudget(context);
  });
});
