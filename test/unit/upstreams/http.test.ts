import { afterEach, describe, expect, it } from 'vitest';
import {
  UpstreamError,
  UpstreamRateLimitedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../../src/errors.js';
import { classifyM3ter } from '../../../src/upstreams/m3ter/classify.js';
import { createUpstreamHttp, type UpstreamCallEvent, type UpstreamHttpOptions } from '../../../src/upstreams/http.js';
import { classifyRevio } from '../../../src/upstreams/revio/classify.js';
import { basicAuth } from '../../../src/upstreams/upstream-auth.js';
import { TenantLimiter } from '../../../src/upstreams/tenant-limiter.js';
import { classifyZuora } from '../../../src/upstreams/zuora/classify.js';
import { json, startTestServer, type Reply, type TestServer } from './helpers/test-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server plus a base pointed at it, with fast backoff so tests do not sleep. */
async function setup(reply: Reply, options: Partial<UpstreamHttpOptions> = {}) {
  const server = await startTestServer(reply);
  const events: UpstreamCallEvent[] = [];
  const base = createUpstreamHttp({
    vendor: 'zuora',
    classify: classifyZuora,
    requestIdHeader: 'Zuora-Track-Id',
    vendorRequestIdHeader: 'Zuora-Request-Id',
    retry: { backoffBaseMs: 5, noiseMs: 0, ...options.retry },
    onUpstreamCall: (event) => events.push(event),
    ...options,
  });
  cleanups.push(() => server.close(), () => base.close());
  return { server, base, events, client: base.got.extend({ prefixUrl: server.url }) };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

const ok = { success: true, entities: [] };

describe('Upstream HTTP base: retries', () => {
  it('retries a 503 and returns the later success', async () => {
    const { client, server, events } = await setup((req, res) => (req.index === 1 ? json(res, 503, { message: 'down' }) : json(res, 200, ok)));
    const body = await client.get('v1/entities', { context: { operation: 'listEntities' } }).json();
    expect(body).toEqual(ok);
    expect(server.requests).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.status, e.retried])).toEqual([[1, 503, true], [2, 200, false]]);
  });

  it('retries a Zuora HTTP-200 business failure in a retryable category', async () => {
    const { client, server } = await setup((req, res) =>
      req.index === 1 ? json(res, 200, { success: false, reasons: [{ code: 50000061, message: 'x' }] }) : json(res, 200, ok),
    );
    await client.get('v1/entities', { context: { operation: 'listEntities' } });
    expect(server.requests).toHaveLength(2);
  });

  it('stops after 3 attempts with the class of the last failure', async () => {
    const { client, server } = await setup((req, res) => json(res, 502, { message: 'bad gateway' }, { 'zuora-request-id': `zr-${req.index}` }));
    const error = await failure(client.get('v1/entities', { context: { operation: 'listEntities' } }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502, retryable: true, attempts: 3, requestId: 'zr-3', operation: 'listEntities', vendor: 'zuora' });
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a final failure', async () => {
    const { client, server } = await setup((_req, res) => json(res, 200, { success: false, reasons: [{ code: 50000040, message: 'x' }] }));
    const error = await failure(client.get('v1/entities/x', { context: { operation: 'getEntity' } }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', vendorCode: '50000040', retryable: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('waits out a Retry-After within the cap', async () => {
    const { client, server } = await setup((req, res) =>
      req.index === 1 ? json(res, 429, { success: false, reasons: [{ code: 90000070, message: 'x' }] }, { 'retry-after': '1' }) : json(res, 200, ok),
    );
    const started = Date.now();
    await client.get('v1/entities', { context: { operation: 'listEntities' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once, retryable with retryAfterMs, when Retry-After exceeds the cap', async () => {
    const { client, server } = await setup((_req, res) => json(res, 429, { success: false, reasons: [{ code: 90000070, message: 'x' }] }, { 'retry-after': '30' }));
    const started = Date.now();
    const error = await failure(client.get('v1/entities', { context: { operation: 'listEntities' } }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 30_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('caps the wait with a lower maxRetryAfterMs', async () => {
    const { client, server } = await setup((_req, res) => json(res, 503, '', { 'retry-after': '2' }), { retry: { maxRetryAfterMs: 1000, backoffBaseMs: 5, noiseMs: 0 } });
    const error = await failure(client.get('v1/entities', { context: { operation: 'listEntities' } }));
    expect(error.retryAfterMs).toBe(2000);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a POST without an idempotency key', async () => {
    const { client, server } = await setup((_req, res) => json(res, 503, { message: 'x' }), { vendor: 'm3ter', classify: classifyM3ter, requestIdHeader: 'X-Request-Id' });
    const error = await failure(client.post('organizations/o/externalmappings', { json: {}, context: { operation: 'createMapping' } }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a POST that carries an idempotency key, with the same key', async () => {
    const { client, server } = await setup((req, res) => (req.index === 1 ? json(res, 503, { message: 'x' }) : json(res, 200, { success: true, id: 'c1' })));
    const body = await client.post('v1/entity-connections', { json: { targetEntityId: 't' }, context: { operation: 'createConnection', idempotencyKey: 'key-1' } }).json();
    expect(body).toEqual({ success: true, id: 'c1' });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-1', 'key-1']);
  });

  it('resolves a Zuora 409 that replays a success', async () => {
    const { client } = await setup((_req, res) => json(res, 409, { success: true, id: 'c1' }));
    const response = await client.post('v1/entity-connections', { json: {}, context: { operation: 'createConnection', idempotencyKey: 'k' } });
    expect(response.statusCode).toBe(409);
    expect(response.body).toEqual({ success: true, id: 'c1' });
  });

  it('retries network errors on GET', async () => {
    const { client, server } = await setup((req, res) => {
      if (req.index === 1) res.socket?.destroy();
      else json(res, 200, ok);
    });
    await client.get('v1/entities', { context: { operation: 'listEntities' } });
    expect(server.requests).toHaveLength(2);
  });

  it('treats a retried Rev.io DELETE that finds nothing as done', async () => {
    const { client } = await setup((req, res) => (req.index === 1 ? json(res, 503, { ok: false, message: 'x' }) : json(res, 404, { ok: false, message: 'gone' })), {
      vendor: 'revio',
      classify: classifyRevio,
      requestIdHeader: 'X-Request-Id',
    });
    const response = await client.delete('v1/IntegrationKeyLink/5', { context: { operation: 'deleteKeyLink' } });
    expect(response.statusCode).toBe(404);
  });
});

describe('Upstream HTTP base: timeouts', () => {
  const hang: Reply = () => {
    // Never answers; the server's close destroys the socket.
  };

  it('turns a stuck attempt into UpstreamTimeoutError after the attempts run out', async () => {
    const { client, server } = await setup(hang, { timeouts: { attemptMs: 100 } });
    const error = await failure(client.get('v1/entities', { context: { operation: 'listEntities' } }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true, attempts: 3, status: undefined });
    expect(server.requests).toHaveLength(3);
  });

  it('stops at the call deadline, retries and backoff included', async () => {
    const { client } = await setup(hang, { timeouts: { attemptMs: 5000 } });
    const started = Date.now();
    const error = await failure(client.get('v1/entities', { context: { operation: 'listEntities', deadlineMs: 200 } }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not start a retry that cannot finish before the deadline', async () => {
    const { client, server } = await setup((_req, res) => json(res, 503, ''), { retry: { backoffBaseMs: 1000, noiseMs: 0 } });
    const error = await failure(client.get('v1/entities', { context: { operation: 'listEntities', deadlineMs: 500 } }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('Upstream HTTP base: headers and events', () => {
  it('forwards the request id as Zuora-Track-Id for Zuora and X-Request-Id elsewhere', async () => {
    const zuora = await setup((_req, res) => json(res, 200, ok));
    await zuora.client.get('v1/entities', { context: { operation: 'listEntities', requestId: 'req-1' } });
    expect(zuora.server.requests[0]?.headers['zuora-track-id']).toBe('req-1');
    const revio = await setup((_req, res) => json(res, 200, { ok: true, records: [] }), { vendor: 'revio', classify: classifyRevio, requestIdHeader: 'X-Request-Id' });
    await revio.client.get('v1/IntegrationSystem', { context: { operation: 'listSystems', requestId: 'req-2' } });
    expect(revio.server.requests[0]?.headers['x-request-id']).toBe('req-2');
  });

  it('reports each attempt to onUpstreamCall', async () => {
    const { client, events } = await setup((req, res) => (req.index === 1 ? json(res, 500, '') : json(res, 200, ok)));
    await client.get('v1/entities', { context: { operation: 'listEntities' } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ vendor: 'zuora', operation: 'listEntities', status: 500, attempt: 1, retried: true });
    expect(events[1]).toMatchObject({ status: 200, attempt: 2, retried: false });
    expect(events.every((e) => e.durationMs >= 0)).toBe(true);
  });

  it('holds calls to the tenant limiter', async () => {
    let running = 0;
    let peak = 0;
    const { client } = await setup(
      async (_req, res) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        json(res, 200, ok);
      },
      { limiter: new TenantLimiter({ concurrency: 2 }) },
    );
    await Promise.all(Array.from({ length: 8 }, () => client.get('v1/entities', { context: { operation: 'listEntities', tenant: 'entity-a' } })));
    expect(peak).toBe(2);
  });
});

describe('Upstream HTTP base: secrets', () => {
  it('keeps credentials, hosts and vendor bodies out of error messages and JSON', async () => {
    const secretBody = 'vendor-body-detail-XYZ';
    const { client, server } = await setup((_req, res) => json(res, 400, { ok: false, message: secretBody }), {
      vendor: 'revio',
      classify: classifyRevio,
      requestIdHeader: 'X-Request-Id',
    });
    const auth = basicAuth('login@client', 'hunter2-password');
    const error = await failure(
      client.get('v1/IntegrationKeyLink', { context: { operation: 'searchKeyLinks', auth }, headers: { 'ocp-apim-subscription-key': 'sub-key-secret' } }),
    );
    const texts = [error.message, JSON.stringify(error), String(error), String(error.stack), JSON.stringify(error.cause ?? null)];
    const authorization = server.requests[0]?.headers.authorization ?? '';
    expect(authorization.startsWith('Basic ')).toBe(true);
    for (const text of texts) {
      for (const secret of ['hunter2-password', authorization, authorization.slice(6), 'sub-key-secret', secretBody, '127.0.0.1', server.url]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('gives transport failures a sanitised cause', async () => {
    const server = await startTestServer(() => undefined);
    const url = server.url;
    await server.close();
    const base = createUpstreamHttp({ vendor: 'm3ter', classify: classifyM3ter, requestIdHeader: 'X-Request-Id', retry: { backoffBaseMs: 5, noiseMs: 0 } });
    cleanups.push(() => base.close());
    const error = await failure(
      base.got.get(`${url}/organizations/x`, { context: { operation: 'getMapping', auth: { authorization: async () => 'Bearer tok-secret-123' } } }),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true, attempts: 3, status: undefined });
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    for (const text of [error.message, JSON.stringify(error), String(error.cause), JSON.stringify(error.cause)]) {
      expect(text).not.toContain('tok-secret-123');
      expect(text).not.toContain('127.0.0.1');
    }
  });
});
