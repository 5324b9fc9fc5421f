import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectSuccess, tokenFor, tokenRequest, uuidOf, zuoraCall, zuoraTenant, type ZuoraTenant } from './zuora-helpers.js';

const SCOPE = /^user\.[0-9a-f]{32}( entity\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})+ service\.echo\.read tenant\.\d+$/;

describe('Zuora sandbox: OAuth token call', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('issues an opaque bearer token whose scope lists every entity of the client', async () => {
    const res = await tokenRequest(sandbox, acme.admin);
    expect(res.status).toBe(200);
    expectMatchesSpec('zuora', 'POST', '/oauth/token', 200, res.body);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      token_type: 'bearer',
      expires_in: 3599,
      scope: expect.stringMatching(SCOPE),
      jti: expect.any(String),
    });
    const scope = res.body.scope as string;
    expect(scope.endsWith(`tenant.${acme.fixture.tenantId}`)).toBe(true);
    const entities = scope.split(' ').filter((part) => part.startsWith('entity.')).map((part) => part.slice('entity.'.length));
    expect(entities).toEqual(acme.admin.entities.map((grant) => uuidOf(grant.entityId)));
  });

  it('issues a different token on every call', async () => {
    const first = await tokenRequest(sandbox, acme.admin);
    const second = await tokenRequest(sandbox, acme.admin);
    expect(first.body.access_token).not.toBe(second.body.access_token);
  });

  it('narrows the scope to the entity named on the token call', async () => {
    const entity = acme.fixture.entities[2]?.id as string;
    const res = await tokenRequest(sandbox, acme.admin, { 'Zuora-Entity-Ids': uuidOf(entity).toUpperCase() });
    expect(res.status).toBe(200);
    const entities = (res.body.scope as string).split(' ').filter((part) => part.startsWith('entity.'));
    expect(entities).toEqual([`entity.${uuidOf(entity)}`]);
    // A single-entity token needs no entity header on /v1 calls.
    const list = await zuoraCall(sandbox, '/v1/entity-connections', { token: res.body.access_token });
    expectSuccess(list);
  });

  it('answers 400 when the entity header of the token call names an entity the client cannot use', async () => {
    const other = zuoraTenant(sandbox, 1).rootId;
    const res = await tokenRequest(sandbox, acme.admin, { 'Zuora-Entity-Ids': uuidOf(other) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 400 {message} when the credentials come in the query string', async () => {
    const query = new URLSearchParams({ client_id: acme.admin.clientId, client_secret: acme.admin.clientSecret, grant_type: 'client_credentials' });
    const res = await http(`${sandbox.urls.zuora}/oauth/token?${query}`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 400 {message} when the credentials come as JSON', async () => {
    const res = await http(`${sandbox.urls.zuora}/oauth/token`, {
      method: 'POST',
      body: { client_id: acme.admin.clientId, client_secret: acme.admin.clientSecret, grant_type: 'client_credentials' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 400 {message} for a grant type other than client_credentials', async () => {
    const form = new URLSearchParams({ client_id: acme.admin.clientId, client_secret: acme.admin.clientSecret, grant_type: 'password' });
    const res = await http(`${sandbox.urls.zuora}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String) });
  });

  it('answers 401 "Authentication error" for a wrong secret or an unknown client', async () => {
    const wrongSecret = await tokenRequest(sandbox, { ...acme.admin, clientSecret: `${acme.admin.clientSecret}x` });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ message: 'Authentication error' });
    const unknown = await tokenRequest(sandbox, { ...acme.admin, clientId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ message: 'Authentication error' });
  });

  it('uses the configured token lifetime', async () => {
    sandbox.setFaults('zuora', { tokenLifetimeS: 120 });
    const res = await tokenRequest(sandbox, acme.admin);
    expect(res.body.expires_in).toBe(120);
  });
});

describe('Zuora sandbox: bearer authentication on /v1', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const expectUnauthorized = (res: Awaited<ReturnType<typeof zuoraCall>>) => {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Authentication error' });
    const challenge = res.headers['www-authenticate'] ?? '';
    for (const scheme of ['Basic', 'ZSession', 'Bearer']) expect(challenge).toMatch(new RegExp(`\\b${scheme} realm=`));
  };

  it('answers 401 with the vendor envelope when the bearer token is missing', async () => {
    expectUnauthorized(await zuoraCall(sandbox, '/v1/entities', { entity: acme.rootId }));
  });

  it('answers 401 with the vendor envelope for an unknown token', async () => {
    expectUnauthorized(await zuoraCall(sandbox, '/v1/entities', { token: 'f'.repeat(32), entity: acme.rootId }));
  });

  it('answers 401 for a scheme other than Bearer', async () => {
    const token = await tokenFor(sandbox, acme.admin);
    expectUnauthorized(await zuoraCall(sandbox, '/v1/entities', { entity: acme.rootId, headers: { authorization: `Basic ${token}` } }));
  });

  it('answers 401 with the vendor envelope for an expired token', async () => {
    const token = await tokenFor(sandbox, acme.admin);
    expectSuccess(await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId }));
    sandbox.advanceClock(3598 * 1000);
    expectSuccess(await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId }));
    sandbox.advanceClock(2 * 1000);
    expectUnauthorized(await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId }));
  });

  it('forgets every token on reset', async () => {
    const token = await tokenFor(sandbox, acme.admin);
    sandbox.reset();
    expectUnauthorized(await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId }));
  });
});

describe('Zuora sandbox: headers on every response', () => {
  let sandbox: Sandbox;
  let acme: ZuoraTenant;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    acme = zuoraTenant(sandbox, 0);
    token = await tokenFor(sandbox, acme.admin);
  });
  afterAll(() => sandbox.close());

  const expectLimitHeaders = (headers: Record<string, string>) => {
    expect(headers['zuora-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['ratelimit-limit']).toMatch(/^\d+(, \d+;w=\d+)+$/);
    expect(Number(headers['ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
    expect(Number(headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(headers['concurrency-limit-type']).toBeTruthy();
    expect(Number(headers['concurrency-limit-limit'])).toBe(40);
    expect(headers['concurrency-limit-remaining']).toMatch(/^\d+$/);
  };

  it('sends request id, rate-limit and concurrency headers on successes, failures and token calls', async () => {
    const ok = await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId });
    const failed = await zuoraCall(sandbox, '/v1/entities/unknown', { token, entity: acme.rootId });
    const unauthorized = await zuoraCall(sandbox, '/v1/entities', { entity: acme.rootId });
    const tokenCall = await tokenRequest(sandbox, acme.admin);
    for (const res of [ok, failed, unauthorized, tokenCall]) expectLimitHeaders(res.headers);
    expect(ok.headers['zuora-request-id']).not.toBe(failed.headers['zuora-request-id']);
  });

  it('counts calls down in RateLimit-Remaining per entity', async () => {
    const first = await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId });
    const second = await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId });
    expect(Number(second.headers['ratelimit-remaining'])).toBe(Number(first.headers['ratelimit-remaining']) - 1);
  });

  it('echoes a valid Zuora-Track-Id', async () => {
    const res = await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId, headers: { 'Zuora-Track-Id': 'gw-req-0001.a_b' } });
    expect(res.headers['zuora-track-id']).toBe('gw-req-0001.a_b');
  });

  it('ignores, and does not echo, a Zuora-Track-Id that is too long or holds :;"\'', async () => {
    for (const bad of ['x'.repeat(65), 'a:b', 'a;b', 'a"b', "a'b"]) {
      const res = await zuoraCall(sandbox, '/v1/entities', { token, entity: acme.rootId, headers: { 'Zuora-Track-Id': bad } });
      expectSuccess(res);
      expect(res.headers['zuora-track-id']).toBeUndefined();
    }
  });
});
