import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { expectFailure, expectSuccess, hyphenated, type TenantFixture, tenantFixture, tokenFor, tokenRequest, zuoraCall } from '../helpers/vendors/zuora.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const SCOPE = /^user\.[0-9a-f]{32}( entity\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})+ service\.echo\.read tenant\.\d+$/;

describe('Zuora sandbox: OAuth token call', () => {
  const sandbox = withSandbox();
  let acme: TenantFixture;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
  });

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
    expect(entities).toEqual(acme.admin.entities.map((grant) => hyphenated(grant.entityId)));
  });

  it('issues a different token on every call', async () => {
    const first = await tokenRequest(sandbox, acme.admin);
    const second = await tokenRequest(sandbox, acme.admin);
    expect(first.body.access_token).not.toBe(second.body.access_token);
  });

  it('narrows the scope to the entity named on the token call', async () => {
    const entity = acme.fixture.entities[2]?.id as string;
    const res = await tokenRequest(sandbox, acme.admin, { 'Zuora-Entity-Ids': hyphenated(entity).toUpperCase() });
    expect(res.status).toBe(200);
    const entities = (res.body.scope as string).split(' ').filter((part) => part.startsWith('entity.'));
    expect(entities).toEqual([`entity.${hyphenated(entity)}`]);
    // A single-entity token needs no entity header on /v1 calls.
    const list = await zuoraCall(sandbox, '/v1/entity-connections', { token: res.body.access_token });
    expectSuccess(list);
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
  const sandbox = withSandbox();
  let acme: TenantFixture;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
  });

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
  const sandbox = withSandbox({ reset: false });
  let acme: TenantFixture;
  let token: string;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
    token = await tokenFor(sandbox, acme.admin);
  });

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

describe('Zuora sandbox: choosing the acting entity', () => {
  const sandbox = withSandbox({ reset: false });
  let acme: TenantFixture;
  let multi: string;
  let single: string;
  let us: string;
  beforeAll(async () => {
    acme = tenantFixture(sandbox, 0);
    us = acme.fixture.entities[1]?.id as string;
    multi = await tokenFor(sandbox, acme.admin);
    single = await tokenFor(sandbox, acme.entityAdmin(1));
  });

  const get = (token: string, headers: Record<string, string> = {}) => zuoraCall(sandbox, '/v1/entity-connections', { token, headers });
  const actingAs = (res: Awaited<ReturnType<typeof get>>, entity: string) => {
    expectSuccess(res);
    expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, res.body);
    const expected = acme.fixture.connections.filter((c) => c.sourceEntityId === entity || c.targetEntityId === entity);
    expect(expected.length, 'fixture assumption: the entity has connections').toBeGreaterThan(0);
    expect(res.body.entityConnections.map((c: { id: string }) => c.id)).toEqual(expected.slice(0, 30).map((c) => c.id));
  };

  it('acts as the entity named in Zuora-Entity-Ids, compared case-insensitively', async () => {
    actingAs(await get(multi, { 'Zuora-Entity-Ids': hyphenated(us) }), us);
    actingAs(await get(multi, { 'Zuora-Entity-Ids': hyphenated(us).toUpperCase() }), us);
  });

  it('answers 90000023 when a multi-entity token sends no entity header', async () => {
    expectFailure(await get(multi), 90000023);
  });

  it('answers 90000020 for a 32-hex id, a list or garbage in Zuora-Entity-Ids', async () => {
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': us }), 90000020);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': `${hyphenated(us)},${hyphenated(acme.rootId)}` }), 90000020);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': 'not-an-id' }), 90000020);
  });

  it("answers 90000010 for an entity outside the token's scope", async () => {
    expectFailure(await get(single, { 'Zuora-Entity-Ids': hyphenated(acme.rootId) }), 90000010);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': hyphenated('0'.repeat(32)) }), 90000010);
  });

  it('lets a single-entity token omit the header, or name its own entity', async () => {
    actingAs(await get(single), us);
    actingAs(await get(single, { 'Zuora-Entity-Ids': hyphenated(us) }), us);
  });

  it('accepts the legacy entityId (32 hex) header alone, with the same scope rules', async () => {
    actingAs(await get(multi, { entityId: us }), us);
    expectFailure(await get(multi, { entityId: hyphenated(us) }), 90000020);
    expectFailure(await get(single, { entityId: acme.rootId }), 90000010);
  });

  it('accepts the legacy entityName header alone, with the same scope rules', async () => {
    const name = acme.fixture.entities[1]?.name as string;
    actingAs(await get(multi, { entityName: name }), us);
    expectFailure(await get(single, { entityName: acme.fixture.entities[0]?.name as string }), 90000010);
    expectFailure(await get(multi, { entityName: 'No Such Entity' }), 90000010);
  });

  it('answers HTTP 400 with a category-20 envelope for a legacy header together with Zuora-Entity-Ids', async () => {
    const res = await get(multi, { 'Zuora-Entity-Ids': hyphenated(us), entityId: us });
    expectFailure(res, 90000020, 400);
    expectFailure(await get(multi, { 'Zuora-Entity-Ids': hyphenated(us), entityName: 'x' }), 90000020, 400);
  });

  it('answers HTTP 400 with a category-20 envelope for both legacy headers', async () => {
    const name = acme.fixture.entities[1]?.name as string;
    expectFailure(await get(multi, { entityId: us, entityName: name }), 90000020, 400);
  });

  it('checks the bearer token before the entity header', async () => {
    const res = await zuoraCall(sandbox, '/v1/entity-connections', { headers: { 'Zuora-Entity-Ids': 'garbage' } });
    expect(res.status).toBe(401);
  });
});
