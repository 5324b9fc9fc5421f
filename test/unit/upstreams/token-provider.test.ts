import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamAuthFailedError, UpstreamError, UpstreamForbiddenError } from '../../../src/errors.js';
import { createUpstreamHttp } from '../../../src/upstreams/http.js';
import { classifyM3ter } from '../../../src/upstreams/m3ter/classify.js';
import { refreshMarginSec, TokenProvider, type FetchedToken, type TokenFetchEvent } from '../../../src/upstreams/token-provider.js';
import { bearerAuth } from '../../../src/upstreams/upstream-auth.js';
import { classifyZuora } from '../../../src/upstreams/zuora/classify.js';
import { json, startTestServer } from './helpers/test-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function counter(expiresInSec = 3599, delayMs = 20) {
  let fetches = 0;
  const fetchToken = async (): Promise<FetchedToken> => {
    fetches += 1;
    const n = fetches;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { accessToken: `token-${n}`, expiresInSec };
  };
  return { fetchToken, fetches: () => fetches };
}

describe('TokenProvider', () => {
  it('shares one fetch among 100 concurrent callers', async () => {
    const source = counter();
    const tokens = new TokenProvider({ vendor: 'zuora', credential: 'tenant-a', fetchToken: source.fetchToken });
    const values = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(source.fetches()).toBe(1);
    expect(new Set(values)).toEqual(new Set(['token-1']));
  });

  it('reuses the token until the refresh margin, then fetches once', async () => {
    let now = 1_000_000;
    const source = counter(3599, 0);
    const tokens = new TokenProvider({ vendor: 'zuora', credential: 't', fetchToken: source.fetchToken, now: () => now });
    expect(await tokens.getToken()).toBe('token-1');
    now += (3599 - 300) * 1000 - 1;
    expect(await tokens.getToken()).toBe('token-1');
    now += 1;
    const refreshed = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(refreshed).toEqual(['token-2', 'token-2', 'token-2']);
    expect(source.fetches()).toBe(2);
  });

  it('uses min(300 s, expires_in/2) as the margin', () => {
    expect(refreshMarginSec(3599)).toBe(300);
    expect(refreshMarginSec(18_000)).toBe(300);
    expect(refreshMarginSec(120)).toBe(60);
  });

  it('invalidates only the token that failed', async () => {
    const source = counter(3599, 0);
    const tokens = new TokenProvider({ vendor: 'm3ter', credential: 't', fetchToken: source.fetchToken });
    await tokens.getToken();
    tokens.invalidate('token-1');
    expect(await tokens.getToken()).toBe('token-2');
    tokens.invalidate('token-1');
    expect(await tokens.getToken()).toBe('token-2');
    expect(source.fetches()).toBe(2);
  });

  it('passes a failed fetch to every waiting caller, then tries again on the next call', async () => {
    let fail = true;
    const events: TokenFetchEvent[] = [];
    const tokens = new TokenProvider({
      vendor: 'zuora',
      credential: 't',
      fetchToken: async () => {
        if (fail) throw new UpstreamAuthFailedError({ vendor: 'zuora', operation: 'token', status: 401, retryable: false });
        return { accessToken: 'ok-token', expiresInSec: 3599 };
      },
      onTokenFetch: (event) => events.push(event),
    });
    const results = await Promise.allSettled([tokens.getToken(), tokens.getToken()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await tokens.getToken()).toBe('ok-token');
    expect(events.map((e) => e.ok)).toEqual([false, true]);
    expect(JSON.stringify(events)).not.toContain('ok-token');
  });
});

describe('Token refresh through the HTTP base', () => {
  /** A vendor whose token endpoint counts fetches and whose API accepts only the newest token. */
  async function vendor(refusal: number) {
    let issued = 0;
    const server = await startTestServer((req, res) => {
      if (req.url === '/oauth/token') {
        issued += 1;
        setTimeout(() => json(res, 200, { access_token: `tok-${issued}`, token_type: 'bearer', expires_in: 3599 }), 20);
        return;
      }
      // Token 1 is stale from the start: every call made with it is refused.
      if (req.headers.authorization === `Bearer tok-${issued}` && issued > 1) json(res, 200, { success: true, data: [] });
      else json(res, refusal, { message: 'Authentication error' });
    });
    cleanups.push(() => server.close());
    return { server, issued: () => issued };
  }

  function base(url: string, vendorName: 'zuora' | 'm3ter') {
    const http = createUpstreamHttp(
      vendorName === 'zuora'
        ? { vendor: 'zuora', classify: classifyZuora, requestIdHeader: 'Zuora-Track-Id', refreshAuthOn: [401] }
        : { vendor: 'm3ter', classify: classifyM3ter, requestIdHeader: 'X-Request-Id', refreshAuthOn: [401, 403] },
    );
    cleanups.push(() => http.close());
    const client = http.got.extend({ prefixUrl: url });
    const tokens = new TokenProvider({
      vendor: vendorName,
      credential: 'tenant-a',
      fetchToken: async () => {
        const body = await client.post('oauth/token', { context: { operation: 'token' } }).json<{ access_token: string; expires_in: number }>();
        return { accessToken: body.access_token, expiresInSec: body.expires_in };
      },
    });
    return { client, auth: bearerAuth(tokens) };
  }

  it('refreshes once for 100 concurrent 401s and retries each call once', async () => {
    const { server, issued } = await vendor(401);
    const { client, auth } = base(server.url, 'zuora');
    const results = await Promise.all(Array.from({ length: 100 }, () => client.get('v1/entities', { context: { operation: 'listEntities', auth } }).json()));
    expect(results).toHaveLength(100);
    expect(issued()).toBe(2);
    expect(server.requests.filter((r) => r.url !== '/oauth/token')).toHaveLength(200);
  });

  it('refreshes on an m3ter 403 and reports FORBIDDEN when the new token is refused too', async () => {
    const server = await startTestServer((req, res) => (req.url === '/oauth/token' ? json(res, 200, { access_token: `t${req.index}`, expires_in: 18_000 }) : json(res, 403, { message: 'Forbidden' })));
    cleanups.push(() => server.close());
    const { client, auth } = base(server.url, 'm3ter');
    const error = await client.get('organizations/o/externalmappings', { context: { operation: 'listMappings', auth } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamForbiddenError);
    expect(error).toMatchObject({ attempts: 2, status: 403 });
    expect(server.requests.filter((r) => r.url === '/oauth/token')).toHaveLength(2);
    const texts = [(error as Error).message, JSON.stringify(error)];
    for (const text of texts) expect(text).not.toMatch(/t\d+"|Bearer/);
  });

  it('fails the call with the token error when the token call fails', async () => {
    const server = await startTestServer((_req, res) => json(res, 401, { message: 'Authentication error' }));
    cleanups.push(() => server.close());
    const { client, auth } = base(server.url, 'zuora');
    const error = await client.get('v1/entities', { context: { operation: 'listEntities', auth } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', operation: 'token' });
    expect(server.requests).toHaveLength(1);
  });
});
