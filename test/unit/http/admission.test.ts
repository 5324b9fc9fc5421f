import { describe, expect, it } from 'vitest';
import { Admission } from '../../../src/http/admission.js';

describe('Admission', () => {
  it('lets maxConcurrent in at once and the next ones in arrival order as slots free', async () => {
    const admission = new Admission({ maxConcurrent: 2, maxQueued: 10, maxWaitMs: 10_000 });
    const first = (await admission.enter())!;
    const second = (await admission.enter())!;
    const order: number[] = [];
    const third = admission.enter().then((release) => (order.push(3), release!));
    const fourth = admission.enter().then((release) => (order.push(4), release!));
    expect([admission.running, admission.queued]).toEqual([2, 2]);
    second();
    second(); // a second release of the same slot frees nothing
    (await third)();
    first();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect([admission.running, admission.queued]).toEqual([0, 0]);
  });

  it('refuses at once when the line is full, and after maxWaitMs in line', async () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 30 });
    const held = (await admission.enter())!;
    const waiting = admission.enter();
    expect(await admission.enter()).toBeUndefined();
    expect(await waiting).toBeUndefined();
    expect(admission.queued).toBe(0);
    held();
    expect(admission.running).toBe(0);
  });
});

describe('Admission between callers', () => {
  it('leaves a quarter of the slots to other callers while one caller floods', async () => {
    const admission = new Admission({ maxConcurrent: 8, maxQueued: 100, maxWaitMs: 10_000 });
    const flood = Array.from({ length: 20 }, () => admission.enter({ caller: 'a' }));
    // A lone caller takes every slot but the reserve: 6 of 8.
    expect(admission.running).toBe(6);
    const other = await admission.enter({ caller: 'b' });
    expect(other).toBeDefined();
    expect(admission.running).toBe(7);
    other!();
    for (const entry of flood) void entry.then((release) => release?.());
  });

  it('gives a freed slot to the waiting caller holding the fewest, before an earlier waiter of a busier caller', async () => {
    const admission = new Admission({ maxConcurrent: 4, maxQueued: 100, maxWaitMs: 10_000, reservedSlots: 0 });
    const held = await Promise.all(Array.from({ length: 4 }, () => admission.enter({ caller: 'a' })));
    const order: string[] = [];
    const a = admission.enter({ caller: 'a' }).then((release) => (order.push('a'), release));
    const b = admission.enter({ caller: 'b' }).then((release) => (order.push('b'), release));
    held[0]!();
    await b;
    expect(order).toEqual(['b']);
    held[1]!();
    await a;
    expect(order).toEqual(['b', 'a']);
  });

  it('admits by bytes: a request waits until what it may hold fits the budget, and one larger than the budget is refused', async () => {
    const admission = new Admission({ maxConcurrent: 10, maxQueued: 10, maxWaitMs: 10_000, maxBytes: 100 });
    const first = (await admission.enter({ bytes: 60 }))!;
    let second: (() => void) | undefined;
    const waiting = admission.enter({ bytes: 60 }).then((release) => (second = release));
    await Promise.resolve();
    expect([admission.running, admission.queued, admission.bytes]).toEqual([1, 1, 60]);
    expect(await admission.enter({ bytes: 101 })).toBeUndefined();
    first();
    await waiting;
    expect([admission.running, admission.bytes]).toEqual([1, 60]);
    second!();
    expect(admission.bytes).toBe(0);
  });

  it('shares queue places too: a flooding caller cannot fill the line against the others', async () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 8, maxWaitMs: 10_000, reservedSlots: 0 });
    const held = (await admission.enter({ caller: 'a' }))!;
    const queued = Array.from({ length: 10 }, () => admission.enter({ caller: 'a' }));
    // Six of eight places (the rest are kept for other callers); the caller's others are refused.
    expect(admission.queued).toBe(6);
    expect(await Promise.race([queued[9]!, Promise.resolve('pending')])).toBeUndefined();
    const other = admission.enter({ caller: 'b' });
    expect(admission.queued).toBe(7);
    held();
    expect(await other).toBeDefined();
  });
});
