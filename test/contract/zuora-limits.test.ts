import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectFailure, sessionFor, tokenFor, tokenRequest, uuidOf, zuoraCall, zuoraTenant, type ZuoraTenant } from './zuora-helpers.js';

describe('Zuora sandbox: limits and injected failures', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  beforeAll(async () => {
    sandbox = await startSandbox();
    acme = zuoraTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

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
    await zuoraCall(sandbox, '/v1/entities', { token: multi, headers: { 'Zuora-Entity-Ids': uuidOf(us).toUpperCase() } });
    await zuoraCall(sandbox, '/v1/entities', { token: multi, headers: { entityId: us } });
    await zuoraCall(sandbox, '/v1/entities', { token: multi, headers: { entityName: acme.fixture.entities[1]?.name as string } });
    await zuoraCall(sandbox, '/v1/entities', { token: single });
    await zuoraCall(sandbox, '/v1/entities', { token: multi });
    await tokenRequest(sandbox, acme.admin);
    const tenants = sandbox.ledger.list({ vendor: 'zuora', sinceSeq: mark }).map((entry) => entry.tenant);
    expect(tenants).toEqual([uuidOf(us), uuidOf(us), uuidOf(us), uuidOf(acme.fixture.entities[2]?.id as string), undefined, undefined]);
  });
});
