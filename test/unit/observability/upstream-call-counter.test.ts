import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RequestBudgetError } from '../../../src/errors.js';
import { createUpstreamCallCounter } from '../../../src/observability/upstream-call-counter.js';
import { createUpstreamHttp, type UpstreamCallEvent } from '../../../src/upstreams/http.js';
import { startTestServer } from '../upstreams/helpers/test-server.js';

const event = (requestId?: string): UpstreamCallEvent => ({ vendor: 'zuora', operation: 'listEntities', status: 200, durationMs: 1, attempt: 1, retried: false, ...(requestId ? { requestId } : {}) });

describe('createUpstreamCallCounter', () => {
  it('counts calls for the request whose id they carry, across awaits and timers', async () => {
    const counter = createUpstreamCallCounter();
    // A process-wide listener, as createUpstreams gets it, fired from async work each run started.
    const fakeCall = async (requestId: string, delayMs: number) => {
      await sleep(delayMs);
      counter.record(event(requestId));
    };
    const counts = await Promise.all(
      [1, 3, 2].map((calls, index) =>
        counter.run(`r${index}`, async (id, count) => {
          expect(counter.countOf(id)).toBe(count);
          await Promise.all(Array.from({ length: calls }, (_, k) => fakeCall(id, 5 * ((index + k) % 3))));
          return count.count;
        }),
      ),
    );
    expect(counts).toEqual([1, 3, 2]);
    expect(counter.countOf('r0')).toBeUndefined();
  });

  it("hands each admitted call its request's scope: the caller and deadline set on its count, and an end when the request returns", async () => {
    const counter = createUpstreamCallCounter();
    let lifetime: ReturnType<typeof counter.admit>;
    await counter.run('r-life', async (id, count) => {
      expect(counter.admit({ vendor: 'revio', operation: 'searchKeyLinks', requestId: id })).toMatchObject({ deadlineAt: undefined });
      count.deadlineAt = 1_234;
      count.caller = 'billing-sync';
      lifetime = counter.admit({ vendor: 'revio', operation: 'searchKeyLinks', requestId: id });
      expect(lifetime).toMatchObject({ deadlineAt: 1_234, caller: 'billing-sync' });
      expect(lifetime?.ended?.aborted).toBe(false);
    });
    expect(lifetime!.ended?.aborted).toBe(true);
    // A call of no request in flight (start-up, a readiness probe) has no lifetime to keep.
    expect(counter.admit({ vendor: 'revio', operation: 'listSystems' })).toBeUndefined();
  });

  it('ends the lifetime of a request that failed, too', async () => {
    const counter = createUpstreamCallCounter();
    let ended: AbortSignal | undefined;
    await expect(
      counter.run('r-fails', async (id) => {
        ended = counter.admit({ vendor: 'zuora', operation: 'listEntities', requestId: id })?.ended;
        throw new Error('resolver bug');
      }),
    ).rejects.toThrow('resolver bug');
    expect(ended?.aborted).toBe(true);
  });

  it('gives two requests in flight with the same id their own counts', async () => {
    const counter = createUpstreamCallCounter();
    const ids: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = counter.run('same', async (id, count) => {
      ids.push(id);
      await held;
      counter.record(event(id));
      return count.count;
    });
    const second = await counter.run('same', async (id, count) => {
      ids.push(id);
      counter.record(event(id));
      counter.record(event(id));
      return count.count;
    });
    release();
    expect([await first, second]).toEqual([1, 2]);
    expect(ids).toEqual(['same', 'same~2']);
  });

  it('ignores calls of no request in flight, and enforces the budget of the one in flight', async () => {
    const counter = createUpstreamCallCounter();
    expect(() => counter.record(event())).not.toThrow();
    expect(() => counter.record(event('readyz'))).not.toThrow();
    expect(() => counter.admit({ vendor: 'zuora', operation: 'listEntities', requestId: 'nobody' })).not.toThrow();
    await counter.run('budgeted', async (id, count) => {
      count.maxCalls = 2;
      counter.admit({ vendor: 'zuora', operation: 'listEntities', requestId: id });
      counter.admit({ vendor: 'zuora', operation: 'listEntities', requestId: id });
      expect(() => counter.admit({ vendor: 'zuora', operation: 'listEntities', requestId: id })).toThrow(RequestBudgetError);
    });
  });
});

describe('createUpstreamCallCounter over the real upstream base', () => {
  it('attributes calls to their request when requests share keep-alive sockets', async () => {
    const server = await startTestServer(async (_request, res) => {
      await sleep(Math.floor(Math.random() * 10));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const counter = createUpstreamCallCounter();
    // Few sockets, many requests: every socket serves several requests in turn.
    const base = createUpstreamHttp({ vendor: 'zuora', classify: () => undefined, requestIdHeader: 'Zuora-Track-Id', maxSockets: 2, onUpstreamCall: counter.record });
    const client = base.got.extend({ prefixUrl: server.url });
    try {
      const expected = [1, 4, 2, 3, 1, 5];
      const counts = await Promise.all(
        expected.map((calls, index) =>
          counter.run(`req-${index}`, async (requestId, count) => {
            await Promise.all(Array.from({ length: calls }, () => client.get('v1/entities', { context: { operation: 'listEntities', requestId } }).json()));
            return count.count;
          }),
        ),
      );
      expect(counts).toEqual(expected);
    } finally {
      base.close();
      await server.close();
    }
  });
});
