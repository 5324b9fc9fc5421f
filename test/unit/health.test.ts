import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { createHealthHandler, DEFAULT_FAILURES_TO_FAIL, type ReadinessProbe } from '../../src/http/health.js';
import { UpstreamAuthFailedError, UpstreamUnavailableError } from '../../src/errors.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Calls the handler with a minimal request and collects what it writes. */
function request(handler: (req: IncomingMessage, res: ServerResponse) => boolean, url: string, method = 'GET'): { handled: boolean; answer: Promise<Answer> } {
  let resolve!: (answer: Answer) => void;
  const answer = new Promise<Answer>((done) => (resolve = done));
  const state: Answer = { status: 0, headers: {}, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, string> = {}) {
      state.status = status;
      state.headers = headers;
      return res;
    },
    end(body?: string) {
      state.body = body ?? '';
      resolve(state);
      return res;
    },
  };
  const handled = handler({ url, method } as IncomingMessage, res as unknown as ServerResponse);
  return { handled, answer };
}

const ok: ReadinessProbe = async () => ({});

describe('/healthz', () => {
  it('answers 200 ok without running probes', async () => {
    const probe = vi.fn(ok);
    const handler = createHealthHandler({ probes: { zuora: probe } });
    const { handled, answer } = request(handler, '/healthz');
    expect(handled).toBe(true);
    expect(await answer).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(probe).not.toHaveBeenCalled();
  });

  it('leaves other paths to the next handler and refuses other methods', async () => {
    const handler = createHealthHandler({ probes: {} });
    expect(request(handler, '/graphql').handled).toBe(false);
    expect((await request(handler, '/healthz', 'POST').answer).status).toBe(405);
    expect((await request(handler, '/readyz?verbose=1', 'HEAD').answer)).toMatchObject({ status: 200, body: '' });
  });
});

describe('/readyz', () => {
  it('answers 200 with every upstream ok', async () => {
    const handler = createHealthHandler({ probes: { zuora: ok, m3ter: ok, revio: ok } });
    const answer = await request(handler, '/readyz').answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ready', upstreams: { zuora: 'ok', m3ter: 'ok', revio: 'ok' } });
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 naming the failing upstream and its code, without hosts or messages', async () => {
    const failure = new UpstreamAuthFailedError({ vendor: 'm3ter', operation: 'getConfiguration', status: 401, retryable: false });
    failure.cause = new Error('connect to https://api.m3ter.com with secret s3cr3t failed');
    const onProbeFailure = vi.fn();
    const handler = createHealthHandler({
      probes: { zuora: ok, m3ter: () => Promise.reject(failure), revio: () => Promise.reject(new Error('https://restapi.rev.io said <html>')) },
      onProbeFailure,
    });
    const answer = await request(handler, '/readyz').answer;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({
      status: 'unavailable',
      failing: ['m3ter', 'revio'],
      upstreams: {
        zuora: 'ok',
        m3ter: { status: 'failing', code: 'UPSTREAM_AUTH_FAILED', consecutiveFailures: 1 },
        revio: { status: 'failing', code: 'UNAVAILABLE', consecutiveFailures: 1 },
      },
    });
    expect(answer.body).not.toMatch(/m3ter\.com|rev\.io|s3cr3t|html/);
    expect(onProbeFailure).toHaveBeenCalledWith('m3ter', failure);
  });

  it('fails a probe that hangs past its timeout', async () => {
    const handler = createHealthHandler({ probes: { zuora: () => new Promise(() => {}) }, timeoutMs: 20 });
    const answer = await request(handler, '/readyz').answer;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).upstreams.zuora).toEqual({ status: 'failing', code: 'TIMEOUT', consecutiveFailures: 1 });
  });

  it('reuses one round of probes until the cache expires, by the injected clock', async () => {
    let clock = 1_000;
    let healthy = true;
    const probe = vi.fn(async () => {
      if (!healthy) throw Object.assign(new Error('down'), { code: 'UPSTREAM_UNAVAILABLE' });
    });
    const handler = createHealthHandler({ probes: { zuora: probe }, cacheMs: 3000, failuresToFail: 1, now: () => clock });
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    healthy = false;
    clock += 2999;
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    expect(probe).toHaveBeenCalledTimes(1);
    clock += 1;
    expect((await request(handler, '/readyz').answer).status).toBe(503);
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('re-checks a round that found trouble after recheckMs, so the gateway is back soon after its vendor', async () => {
    let clock = 1_000;
    let healthy = false;
    const probe = vi.fn(async () => {
      if (!healthy) throw Object.assign(new Error('down'), { code: 'UPSTREAM_UNAVAILABLE' });
    });
    const handler = createHealthHandler({ probes: { zuora: probe }, cacheMs: 5000, recheckMs: 1000, now: () => clock });
    expect((await request(handler, '/readyz').answer).status).toBe(503);
    healthy = true;
    clock += 999;
    expect((await request(handler, '/readyz').answer).status).toBe(503);
    clock += 1;
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    expect(probe).toHaveBeenCalledTimes(2);
    // A healthy round serves for the whole cacheMs.
    healthy = false;
    clock += 4999;
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('counts a rate-limited answer as the vendor being up', async () => {
    const probe = async () => {
      throw Object.assign(new Error('slow down'), { code: 'UPSTREAM_RATE_LIMITED' });
    };
    const handler = createHealthHandler({ probes: { revio: probe } });
    const answer = await request(handler, '/readyz').answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ready', upstreams: { revio: 'ok' } });
  });

  it('keeps the full cache while only an advisory probe is degraded: no extra vendor probes', async () => {
    let clock = 1_000;
    const zuora = vi.fn(ok);
    const redis = vi.fn(async () => {
      throw Object.assign(new Error('down'), { code: 'REDIS_UNAVAILABLE' });
    });
    const handler = createHealthHandler({ probes: { zuora, redis }, advisory: ['redis'], cacheMs: 5000, recheckMs: 1000, now: () => clock });
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    clock += 4999;
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    expect(zuora).toHaveBeenCalledTimes(1);
  });

  it('rides out two failed rounds of a probe that answered before, and is 503 at the third, with the count', async () => {
    let healthy = true;
    const m3ter = vi.fn(async () => {
      if (!healthy) throw Object.assign(new Error('slow'), { code: 'TIMEOUT' });
    });
    // No cache: every request is a round.
    const handler = createHealthHandler({ probes: { zuora: ok, m3ter }, cacheMs: 0 });
    const round = async () => {
      const answer = await request(handler, '/readyz').answer;
      return { status: answer.status, body: JSON.parse(answer.body) };
    };
    expect((await round()).status).toBe(200);
    healthy = false;
    for (const consecutiveFailures of [1, 2]) {
      expect(await round()).toEqual({ status: 200, body: { status: 'ready', upstreams: { zuora: 'ok', m3ter: { status: 'degraded', code: 'TIMEOUT', consecutiveFailures } } } });
    }
    expect(await round()).toEqual({
      status: 503,
      body: { status: 'unavailable', failing: ['m3ter'], upstreams: { zuora: 'ok', m3ter: { status: 'failing', code: 'TIMEOUT', consecutiveFailures: 3 } } },
    });
    // One good round clears the count: the next failure starts again at 1.
    healthy = true;
    expect((await round()).status).toBe(200);
    healthy = false;
    expect((await round()).body.upstreams.m3ter).toEqual({ status: 'degraded', code: 'TIMEOUT', consecutiveFailures: 1 });
    expect(DEFAULT_FAILURES_TO_FAIL).toBe(3);
  });

  it("fails at once an upstream whose circuit is open: its calls already failed as an outage", async () => {
    let open = false;
    const m3ter: ReadinessProbe = async () => {
      if (open) throw new UpstreamUnavailableError({ vendor: 'm3ter', operation: 'getConfiguration', retryable: true, vendorCode: 'CIRCUIT_OPEN', attempts: 0 });
      return {};
    };
    const handler = createHealthHandler({ probes: { zuora: ok, m3ter }, cacheMs: 0 });
    expect((await request(handler, '/readyz').answer).status).toBe(200);
    open = true;
    const first = await request(handler, '/readyz').answer;
    expect(first.status).toBe(503);
    expect(JSON.parse(first.body)).toMatchObject({ failing: ['m3ter'], upstreams: { m3ter: { status: 'failing', code: 'UPSTREAM_UNAVAILABLE', consecutiveFailures: 1 } } });
  });

  it('reports an advisory probe as degraded and stays 200, however often it fails', async () => {
    const redis: ReadinessProbe = async () => {
      throw Object.assign(new Error('no PING'), { code: 'IDEMPOTENCY_STORE_UNAVAILABLE' });
    };
    const handler = createHealthHandler({ probes: { zuora: ok, redis }, advisory: ['redis'], cacheMs: 0 });
    for (let round = 0; round < 4; round += 1) {
      const answer = await request(handler, '/readyz').answer;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).upstreams.redis).toEqual({ status: 'degraded', code: 'IDEMPOTENCY_STORE_UNAVAILABLE', consecutiveFailures: round + 1 });
    }
  });

  it('shares one round in flight between concurrent requests', async () => {
    let release!: () => void;
    const probe = vi.fn(() => new Promise<void>((done) => (release = done)));
    const handler = createHealthHandler({ probes: { revio: probe } });
    const first = request(handler, '/readyz').answer;
    const second = request(handler, '/readyz').answer;
    await Promise.resolve();
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(probe).toHaveBeenCalledTimes(1);
  });
});

describe('/readyz warnings', () => {
  it('lists setup warnings in a 200, and says nothing when their check cannot run', async () => {
    let warnings: () => Promise<readonly string[]> = async () => ['REDIS_NOT_PERSISTENT'];
    const handler = createHealthHandler({ probes: { zuora: ok }, cacheMs: 0, warnings: () => warnings() });
    const first = await request(handler, '/readyz').answer;
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ status: 'ready', upstreams: { zuora: 'ok' }, warnings: ['REDIS_NOT_PERSISTENT'] });
    warnings = async () => {
      throw new Error('Redis is away');
    };
    expect(JSON.parse((await request(handler, '/readyz').answer).body)).toEqual({ status: 'ready', upstreams: { zuora: 'ok' } });
  });
});
