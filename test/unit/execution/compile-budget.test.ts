import { describe, expect, it } from 'vitest';
import { CompileBudget } from '../../../src/execution/compile-budget.js';

describe('CompileBudget', () => {
  it('runs work while the second has budget left, and again in the next second', () => {
    let clock = 0;
    const budget = new CompileBudget(100, () => clock);
    const work = (ms: number) => () => {
      clock += ms;
      return ms;
    };
    expect([budget.spend(work(60)), budget.spend(work(60)), budget.spend(work(1))]).toEqual([60, 60, undefined]);
    clock = 1000;
    expect(budget.spend(work(1))).toBe(1);
  });

  it('counts the time of work that throws', () => {
    let clock = 0;
    const budget = new CompileBudget(10, () => clock);
    expect(() =>
      budget.spend(() => {
        clock += 20;
        throw new Error('graphql-jit failed');
      }),
    ).toThrow('graphql-jit failed');
    expect(budget.spend(() => 'ran')).toBeUndefined();
  });
});
