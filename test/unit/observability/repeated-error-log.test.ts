import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { RepeatedErrorLog, signatureOf } from '../../../src/observability/repeated-error-log.js';
import { captureLogs } from './capture-logs.js';

function setup(options?: ConstructorParameters<typeof RepeatedErrorLog>[1]) {
  const capture = captureLogs();
  const log = new RepeatedErrorLog(createLogger({ destination: capture.destination }), options);
  return { log, lines: capture.lines };
}

/** The same throw site every time, as one wrong-shaped vendor answer per request gives. */
function mapEntity(id: number): Error {
  return new TypeError(`Cannot read properties of undefined (reading 'entityId') at item ${id}`);
}

describe('RepeatedErrorLog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('logs the first of a kind with its stack, counts the repeats, and summarises them when the window ends', () => {
    const { log, lines } = setup({ windowMs: 60_000 });
    for (let i = 0; i < 50; i++) log.error({ requestId: `r${i}` }, mapEntity(i), 'graphql error masked as INTERNAL_SERVER_ERROR');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ requestId: 'r0', msg: 'graphql error masked as INTERNAL_SERVER_ERROR' });
    expect(lines()[0]!.err.stack).toContain('mapEntity');
    vi.advanceTimersByTime(60_000);
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toMatchObject({ msg: '49 more like this in the last 60 s', repeats: 49, first: 'graphql error masked as INTERNAL_SERVER_ERROR' });
    expect(lines()[1]!.requestIds).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10']);
    expect(lines()[1]!.err).toBeUndefined();
    // A new window: the next one is logged in full again.
    log.error({ requestId: 'r50' }, mapEntity(50), 'graphql error masked as INTERNAL_SERVER_ERROR');
    expect(lines()).toHaveLength(3);
    expect(lines()[2]!.err.stack).toContain('mapEntity');
  });

  it('writes no summary for an error that did not repeat', () => {
    const { log, lines } = setup();
    log.error({}, mapEntity(1), 'once');
    vi.advanceTimersByTime(120_000);
    expect(lines()).toHaveLength(1);
  });

  it('logs each kind of error in full once per window: another code, message or throw site is another kind', () => {
    const { log, lines } = setup();
    const withCode = Object.assign(new Error('Zuora answered 502'), { code: 'UPSTREAM_UNAVAILABLE' });
    for (let i = 0; i < 5; i++) {
      log.error({}, mapEntity(i), 'a');
      log.error({}, new RangeError('Invalid array length'), 'b');
      log.error({}, withCode, 'c');
    }
    expect(lines().map((line) => line.msg)).toEqual(['a', 'b', 'c']);
  });

  it('takes quoted values, ids and numbers out of the signature', () => {
    const at = (message: string) => signatureOf(Object.assign(new Error(message), { stack: `Error: ${message}\n    at f (x.js:1:1)` }));
    expect(at('entity "abc" has 3 links; id 8f3e2a1b9c')).toBe(at('entity "xyz" has 12 links; id 0000ffff1234'));
    expect(at('entity missing')).not.toBe(at('connection missing'));
  });

  it('keeps at most maxSignatures kinds: past that, new kinds share one, so ever-new messages stay bounded', () => {
    const { log, lines } = setup({ maxSignatures: 3 });
    for (let i = 0; i < 100; i++) log.error({}, Object.assign(new Error(`kind ${'x'.repeat(i % 50)}`), { code: `C${i % 50}` }), 'm');
    // Three kinds in full, then one line for the first overflowing kind; the rest are counted.
    expect(lines()).toHaveLength(4);
    vi.advanceTimersByTime(60_000);
    expect(lines().slice(4).map((line) => line.repeats).sort((a, b) => a - b)).toEqual([1, 1, 1, 93]);
  });

  it('logs at the level asked, and keeps apart the kinds it is told to (one upstream from another)', () => {
    const { log, lines } = setup();
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 3; i++) for (const upstream of ['zuora', 'm3ter']) log.log('warn', { upstream }, refused(), 'readiness probe failed', upstream);
    expect(lines().map((line) => [line.level, line.upstream])).toEqual([
      [40, 'zuora'],
      [40, 'm3ter'],
    ]);
    vi.advanceTimersByTime(60_000);
    expect(lines().slice(2).map((line) => [line.level, line.repeats])).toEqual([
      [40, 2],
      [40, 2],
    ]);
  });
});
