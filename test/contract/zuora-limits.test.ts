import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { expectFailure, hyphenated, sessionFor, type TenantFixture, tenantFixture, tokenFor, tokenRequest, zuoraCall, type ZuoraSession } from '../helpers/vendors/zuora.js';
import { withSandbox } from '../helpers/with-sandbox.js';

describe('Zuora sandbox: limits and injected failures', () => {
  const sandbox = withSandbox({ limits: 'vendor' });
  let acme: TenantFixture;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
  });

  it('answers 429 with Retry-After, limit headers and code 90000070 over the concurrency cap', async () => {
    const session = await sessionFor(sandbox, acme.reader, acme.rootId);
    sandbox.setFaults('zuora', { concurrencyCap: 1, rules: [{ kind: 'latency', latencyMs: 300 }] });
    const results = await Promise.all([session.call('/v1/entities'), session.call('/v1/entities')]);
    const limited = results.find((res) => res.status === 429);
    expect(results.map((res) => res.status).sort()).toEqual([200, 429]);
    if (!limited) throw new Error('expected a 429');
    expectFailure(limited, 90000070, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['concurrency-limit-remaining']).toBe('0');
    expect(limited.headers['zuora-request-id']).toBeTruthy();
    expect(limited.headers['ratelimit-limit']).toBeTruthy();
  });

  it('counts the concurrency cap per acting entity', async () => {
    const token = await tokenFor(sandbox, acme.reader);
    sandbox.setFaults('zuora', { concurrencyCap: 1, rules: [{ kind: 'latency', latencyMs: 200 }] });
    const [a, b] = await Promise.all([
      zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId }),
      zuoraCall(sandbox, '/v1/entities', { token, entity: acme.fixture.entities[1]?.id as string }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
  });

  it('exempts the token call from the limits', async () => {
    sandbox.setFaults('zuora', { concurrencyCap: 1, rules: [{ kind: 'latency', latencyMs: 200 }] });
    const results = await Promise.all([tokenRequest(sandbox, acme.admin), tokenRequest(sandbox, acme.admin)]);
    expect(results.map((res) => res.status)).toEqual([200, 200]);
  });

  it('renders an injected rate limit as a 429 envelope with the requested Retry-After', async () => {
    const session = await sessionFor(sandbox, acme.reader, acme.rootId);
    sandbox.setFaults('zuora', { rules: [{ kind: 'rate-limited', retryAfterS: 7, times: 1 }] });
    const res = await session.call('/v1/entities');
    expectFailure(res, 90000070, 429);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('renders injected server errors as that status with {message}', async () => {
    const session = await sessionFor(sandbox, acme.reader, acme.rootId);
    for (const status of [500, 502, 503, 504] as const) {
      sandbox.setFaults('zuora', { rules: [{ kind: 'server-error', status, times: 1 }] });
      const res = await session.call('/v1/entities');
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ message: expect.any(String) });
      expect(res.headers['zuora-request-id']).toBeTruthy();
    }
  });

  it('records the acting entity, hyphenated and lower-cased, as the tenant of each call', async () => {
    const us = acme.fixture.entities[1]?.id as string;
    const multi = await tokenFor(sandbox, acme.admin);
    const single = await tokenFor(sandbox, acme.entityAdmin(2));
    const mark = sandbox.ledger.mark;
    await zuoraCall(sandbox, '/v1/entities', { token: multi, headers: { 'Zuora-Entity-Ids': hyphenated(us).toUpperCase() } });
    await zuoraCall(sandbox, '/v1/entities', { token: multi, headers: { entityId: us } });
    await zuoraCall(sandbox, '/v1/entities', { token: multi, headers: { entityName: acme.fixture.entities[1]?.name as string } });
    await zuoraCall(sandbox, '/v1/entities', { token: single });
    await zuoraCall(sandbox, '/v1/entities', { token: multi });
    await tokenRequest(sandbox, acme.admin);
    const tenants = sandbox.ledger.list({ vendor: 'zuora', sinceSeq: mark }).map((entry) => entry.tenant);
    expect(tenants).toEqual([hyphenated(us), hyphenated(us), hyphenated(us), hyphenated(acme.fixture.entities[2]?.id as string), undefined, undefined]);
  });
});

describe('Zuora sandbox: routes', () => {
  const sandbox = withSandbox({ reset: false });
  let global: ZuoraSession;
  beforeAll(async () => {
    const acme = tenantFixture(sandbox, 0);
    global = await sessionFor(sandbox, acme.admin, acme.rootId);
  });

  it('answers 405 with Allow and a category-45 envelope for a wrong method', async () => {
    const res = await global.call('/v1/entities', { method: 'PATCH', body: {} });
    expectFailure(res, 50000045, 405);
    expect(res.headers.allow).toBe('GET, POST');
  });

  it('answers 405 {message} with Allow for a wrong method on the token endpoint', async () => {
    const res = await http(`${sandbox.urls.zuora}/oauth/token`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 404 {message} for unknown paths, including the omitted /v1/users calls', async () => {
    for (const path of ['/v1/nothing', '/v1/users/jane/accessible-entities']) {
      const res = await global.call(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: expect.any(String) });
    }
  });

  it('answers 400 with a category-20 envelope for bad percent-encoding in the path', async () => {
    expectFailure(await global.call('/v1/entities/%E0%A4%A'), 50000020, 400);
  });
});
