import { describe, expect, it } from 'vitest';
import { basic, http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { credentialHeaders, fixtureClient, KEY_HEADER, revioSession, userWithRole } from '../helpers/vendors/revio.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const LIST = '/v1/IntegrationKeyLink';

describe('Rev.io sandbox: authentication and roles', () => {
  const sandbox = withSandbox();

  const get = (headers: Record<string, string>) => http(`${sandbox.urls.revio}${LIST}`, { headers });

  it('answers 401 in the gateway shape when the subscription key is missing', async () => {
    const client = fixtureClient(sandbox, 0);
    const { authorization } = credentialHeaders(client, userWithRole(client, 'read-write'));
    const res = await get({ authorization: authorization as string });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', LIST, 401, res.body);
  });

  it('answers 401 in the gateway shape for an unknown subscription key, before reading Basic credentials', async () => {
    const res = await get({ [KEY_HEADER]: '0'.repeat(32) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    expect(res.body).not.toHaveProperty('ok');
    expectMatchesSpec('revio', 'GET', LIST, 401, res.body);
  });

  it('answers 401 in the application shape when the key belongs to another client than the Basic client code', async () => {
    const a = fixtureClient(sandbox, 0);
    const b = fixtureClient(sandbox, 1);
    const headers = { ...credentialHeaders(a, userWithRole(a, 'read-write')), [KEY_HEADER]: b.subscriptionKey };
    const res = await get(headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', LIST, 401, res.body);
  });

  it('answers 401 in the application shape for a wrong password', async () => {
    const client = fixtureClient(sandbox, 0);
    const user = userWithRole(client, 'read-write');
    const res = await get({ [KEY_HEADER]: client.subscriptionKey, authorization: basic(`${user.login}@${client.clientCode}`, `${user.password}x`) });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ ok: false });
    expectMatchesSpec('revio', 'GET', LIST, 401, res.body);
  });

  it.each<[string, (clientCode: string) => string | undefined]>([
    ['no Authorization header', () => undefined],
    ['a Bearer token', () => 'Bearer abc'],
    ['a user name without a client code', () => basic('interlink', 'pw')],
    ['an unknown login', (code) => basic(`nobody@${code}`, 'pw')],
    ['an email address as the login', (code) => basic(`interlink@example.com@${code}`, 'pw')],
    ['Basic with broken base64', () => 'Basic ***'],
  ])('answers 401 in the application shape for %s', async (_label, authorizationFor) => {
    const client = fixtureClient(sandbox, 0);
    const headers: Record<string, string> = { [KEY_HEADER]: client.subscriptionKey };
    const authorization = authorizationFor(client.clientCode);
    if (authorization !== undefined) headers.authorization = authorization;
    const res = await get(headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', LIST, 401, res.body);
  });

  it('accepts the login and client code in any case', async () => {
    const client = fixtureClient(sandbox, 0);
    const user = userWithRole(client, 'read-write');
    const res = await get({
      [KEY_HEADER]: client.subscriptionKey,
      authorization: basic(`${user.login.toUpperCase()}@${client.clientCode.toUpperCase()}`, user.password),
    });
    expect(res.status).toBe(200);
  });

  it('lets a read-only user read', async () => {
    const auditor = revioSession(sandbox, 0, 'read-only');
    const list = await auditor.call(LIST);
    expect(list.status).toBe(200);
    const one = await auditor.call(`${LIST}/1`);
    expect(one.status).toBe(200);
  });

  it.each([
    ['POST', LIST, '/v1/IntegrationKeyLink'],
    ['PUT', `${LIST}/1`, '/v1/IntegrationKeyLink/{id}'],
    ['DELETE', `${LIST}/1`, '/v1/IntegrationKeyLink/{id}'],
  ])('answers 403 in the application shape when a read-only user tries %s', async (method, path, template) => {
    const auditor = revioSession(sandbox, 0, 'read-only');
    const writer = revioSession(sandbox, 0);
    const seeded = (await writer.call(`${LIST}/1`)).body;
    const body = { integration_system_id: 4, integration_entity_type_id: 2, internal_id: seeded.internal_id, external_id: 'X-READONLY' };
    const res = await auditor.call(path, { method, body: method === 'DELETE' ? undefined : body });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    expect(res.body).not.toHaveProperty('statusCode');
    expectMatchesSpec('revio', method, template, 403, res.body);
    // Nothing changed.
    expect((await writer.call(`${LIST}/1`)).body).toEqual(seeded);
  });

  it('records the client code of the subscription key as the tenant, and none for an unknown key', async () => {
    const tenant = revioSession(sandbox, 1);
    const mark = sandbox.ledger.mark;
    await tenant.call(LIST);
    await get({ [KEY_HEADER]: 'not-a-key' });
    const entries = sandbox.ledger.list({ vendor: 'revio', sinceSeq: mark });
    expect(entries.map((e) => e.tenant)).toEqual([tenant.client.clientCode, undefined]);
  });
});
