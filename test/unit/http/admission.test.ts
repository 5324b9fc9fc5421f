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
