import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createUpstreamCallCounter } from '../../../src/observability/upstream-call-counter.js';
import { createUpstreamHttp, type UpstreamCallEvent } from '../../../src/upstreams/http.js';
import { startTestServer } from '../upstreams/helpers/test-server.js';

const event: UpstreamCallEvent = { vendor: 'zuora', operation: 'listEntities', status: 200, durationMs: 1, attempt: 1, retried: false };

describe('createUpstreamCallCounter', () => {
  it('counts calls reported inside a run for that run alone, across awaits and timers', async () => {
    const counter = createUpstreamCallCounter();
    // A process-wide listener, as createUpstreams gets it, fired from async work each run started.
    const fakeCall = async (delayMs: number) => {
      await sleep(delayMs);
      counter.record(event);
    };
    const counts = await Promise.all(
      [1, 3, 2].map((calls, index) =>
        counter.run(async (count) => {
          expect(counter.current()).toBe(count);
          await Promise.all(Array.from({ length: calls }, (_, k) => fakeCall(5 * ((index + k) % 3))));
          return count.count;
        }),
      ),
    );
    expect(counts).toEqual([1, 3, 2]);
  });

  it('ignores calls made outside any run', () => {
    const counter = createUpstreamCallCounter();
    expect(() => counter.record(event)).not.toThrow();
    expect(counter.current()).toBeUndefined();
  });
});

describe('createUpstreamCallCounter over the real upstream base', () => {
  it('attributes calls to their run when runs share keep-alive sockets', async () => {
    const server = await startTestServer(async (_request, res) => {
      await sleep(Math.floor(Math.random() * 10));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const counter = createUpstreamCallCounter();
    // Few sockets, many runs: every socket serves several runs in turn.
    const base = createUpstreamHttp({ vendor: 'zuora', classify: () => undefined, requestIdHeader: 'Zuora-Track-Id', maxSockets: 2, onUpstreamCall: counter.record });
    const client = base.got.extend({ prefixUrl: server.url });
    try {
      const expected = [1, 4, 2, 3, 1, 5];
      const counts = await Promise.all(
        expected.map((calls) =>
          counter.run(async (count) => {
            await Promise.all(Array.from({ length: calls }, () => client.get('v1/entities', { context: { operation: 'listEntities' } }).json()));
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
