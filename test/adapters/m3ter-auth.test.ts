import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { UpstreamAuthFailedError, UpstreamForbiddenError, UpstreamUnavailableError } from '../../src/errors.js';
import type { TokenFetchEvent } from '../../src/upstreams/token-provider.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { clientFor, expectNoLeaks, FAST_RETRY, orgCalls, orgOf, tenantOf, tokenCalls, upstreamErrorOf } from '../helpers/vendors/m3ter.js';

const sandbox = withSandbox();

// Each test starts with fresh tokens, the real clock and no faults.


/** Data calls that m3ter refused as unauthenticated or forbidden. */
function refusals(orgId: string, mark: number): number {
  return orgCalls(sandbox, orgId, mark).filter((call) => call.status === 401 || call.status === 403).length;
}

describe('m3ter client: token cache', () => {
  it('fetches one token for 100 concurrent calls on a cold cache', async () => {
    const events: TokenFetchEvent[] = [];
    const client = clientFor(sandbox, 0, { onTokenFetch: (event) => events.push(event) });
    const mark = sandbox.ledger.mark;
    const results = await Promise.all(Array.from({ length: 100 }, () => client.getConfiguration()));
    client.close();
    expect(results).toHaveLength(100);
    expect(tokenCalls(sandbox, mark)).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ vendor: 'm3ter', credential: orgOf(sandbox, 0).label, ok: true })]);
    expect(orgCalls(sandbox, orgOf(sandbox, 0).orgId, mark)).toHaveLength(100);
  });

  it('fetches exactly one token per credential when two orgs make 100 calls each at once', async () => {
    const events: TokenFetchEvent[][] = [[], []];
    const clients = [0, 1].map((index) => clientFor(sandbox, index, { onTokenFetch: (event) => events[index]?.push(event) }));
    const mark = sandbox.ledger.mark;
    await Promise.all(clients.flatMap((client) => Array.from({ length: 100 }, () => client.getConfiguration())));
    for (const client of clients) client.close();
    expect(tokenCalls(sandbox, mark)).toHaveLength(2);
    expect(events.map((list) => list.length)).toEqual([1, 1]);
  });

  it('sends the token call as m3ter documents it: JSON body, outside any org', async () => {
    const client = clientFor(sandbox, 0);
    const mark = sandbox.ledger.mark;
    await client.getConfiguration();
    client.close();
    const [token] = tokenCalls(sandbox, mark);
    expect(token).toMatchObject({ method: 'POST', path: '/oauth/token', status: 200, tenant: undefined });
    expect(token?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refreshes once, before expiry, when under 300 s remain, and sends no expired token', async () => {
    let offsetMs = 0;
    const client = clientFor(sandbox, 0, { now: () => Date.now() + offsetMs });
    const orgId = orgOf(sandbox, 0).orgId;
    const mark = sandbox.ledger.mark;
    await client.getConfiguration();
    // The token lasts 18,000 s: jump the client's clock to 250 s before expiry (sandbox time stands still).
    offsetMs = (18_000 - 250) * 1000;
    await Promise.all(Array.from({ length: 50 }, () => client.getConfiguration()));
    await Promise.all(Array.from({ length: 50 }, () => client.getConfiguration()));
    client.close();
    expect(tokenCalls(sandbox, mark)).toHaveLength(2);
    expect(refusals(orgId, mark)).toBe(0);
  });

  it('refreshes once mid-run when a short-lived token nears expiry, with no 401 or 403', async () => {
    // 4 s tokens: the margin is min(300 s, half the lifetime) = 2 s, so the refresh falls inside
    // a run of 12 rounds 200 ms apart (the last starts 2.2 s in), and a second one cannot.
    sandbox.setFaults('m3ter', { tokenLifetimeS: 4 });
    const client = clientFor(sandbox, 0);
    const orgId = orgOf(sandbox, 0).orgId;
    const mark = sandbox.ledger.mark;
    for (let round = 0; round < 12; round += 1) {
      await Promise.all(Array.from({ length: 10 }, () => client.getConfiguration()));
      await sleep(200);
    }
    client.close();
    expect(tokenCalls(sandbox, mark)).toHaveLength(2);
    expect(refusals(orgId, mark)).toBe(0);
    expect(orgCalls(sandbox, orgId, mark)).toHaveLength(120);
  });

  it('after the vendor expires the token, takes one 403, refreshes once and succeeds', async () => {
    const client = clientFor(sandbox, 0);
    const orgId = orgOf(sandbox, 0).orgId;
    await client.getConfiguration();
    sandbox.advanceClock(18_001 * 1000);
    const mark = sandbox.ledger.mark;
    await Promise.all(Array.from({ length: 5 }, () => client.getConfiguration()));
    client.close();
    expect(tokenCalls(sandbox, mark)).toHaveLength(1);
    const data = orgCalls(sandbox, orgId, mark);
    expect(data.filter((call) => call.status === 403).length).toBeGreaterThanOrEqual(1);
    expect(data.filter((call) => call.status === 200)).toHaveLength(5);
    // The first call to meet the expired token refreshes; calls already on their way may meet it too, but none twice.
    expect(data.filter((call) => call.status === 403).length).toBeLessThanOrEqual(5);
  });

  it('reports the reactive refresh on a single call as exactly one 403 then success', async () => {
    const client = clientFor(sandbox, 0);
    await client.getConfiguration();
    sandbox.advanceClock(18_001 * 1000);
    const mark = sandbox.ledger.mark;
    await client.getConfiguration();
    client.close();
    expect(sandbox.ledger.list({ vendor: 'm3ter', sinceSeq: mark }).map((call) => `${call.method} ${call.path.startsWith('/oauth') ? 'token' : 'data'} ${call.status}`)).toEqual([
      'GET data 403',
      'POST token 200',
      'GET data 200',
    ]);
  });
});

describe('m3ter client: token call failures', () => {
  it('retries the token call after a 503, since asking twice only issues a second token', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, times: 1, match: { path: '^/oauth/token$' } }] });
    const client = clientFor(sandbox, 0, { retry: FAST_RETRY });
    const mark = sandbox.ledger.mark;
    await client.getConfiguration();
    client.close();
    expect(tokenCalls(sandbox, mark).map((call) => call.status)).toEqual([503, 200]);
  });

  it('gives up after three token attempts, retryable, and counts them all', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 502, match: { path: '^/oauth/token$' } }] });
    const client = clientFor(sandbox, 0, { retry: FAST_RETRY });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.getConfiguration());
    client.close();
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ operation: 'fetchToken', status: 502, retryable: true, attempts: 3 });
    expect(tokenCalls(sandbox, mark)).toHaveLength(3);
    expect(orgCalls(sandbox, orgOf(sandbox, 0).orgId, mark)).toHaveLength(0);
    expectNoLeaks(error, sandbox, tenantOf(orgOf(sandbox, 0)));
  });
});

describe('m3ter client: credentials refused', () => {
  it('reports a wrong API secret as UPSTREAM_AUTH_FAILED without retrying or leaking it', async () => {
    const tenant = { ...tenantOf(orgOf(sandbox, 0)), apiSecret: 'not-the-secret-0123456789' };
    const client = clientFor(sandbox, 0, { tenant });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.getConfiguration());
    client.close();
    expect(error).toBeInstanceOf(UpstreamAuthFailedError);
    expect(error).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', status: 401, retryable: false, vendorCode: undefined });
    expect(tokenCalls(sandbox, mark)).toHaveLength(1);
    expect(orgCalls(sandbox, tenant.orgId, mark)).toHaveLength(0);
    expectNoLeaks(error, sandbox, tenant);
  });

  it('reports an org the service user may not use as FORBIDDEN after one refresh', async () => {
    // Org 0's access key, org 1's id: every token is valid, but not for this org.
    const tenant = { ...tenantOf(orgOf(sandbox, 0)), orgId: orgOf(sandbox, 1).orgId };
    const client = clientFor(sandbox, 0, { tenant });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.getConfiguration());
    client.close();
    expect(error).toBeInstanceOf(UpstreamForbiddenError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, retryable: false, attempts: 2 });
    expect(tokenCalls(sandbox, mark)).toHaveLength(2);
    expect(orgCalls(sandbox, tenant.orgId, mark).map((call) => call.status)).toEqual([403, 403]);
    expectNoLeaks(error, sandbox, tenant);
  });
});
