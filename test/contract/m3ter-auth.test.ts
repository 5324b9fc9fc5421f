import { beforeAll, describe, expect, it } from 'vitest';
import { basic, http } from '../helpers/http.js';
import { call, expectError, expectSpec, orgCall, type OrgSession, PATHS, sessionFor, tokenFor } from '../helpers/vendors/m3ter.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const sandbox = withSandbox({ reset: false });
let a: OrgSession;
let b: OrgSession;

beforeAll(async () => {
  a = await sessionFor(sandbox, 0);
  b = await sessionFor(sandbox, 1);
});

function tokenCall(authorization: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  return http(`${sandbox.urls.m3ter}/oauth/token`, {
    method: 'POST',
    headers: { ...(authorization ? { authorization } : {}), ...headers },
    body,
  });
}

describe('m3ter: POST /oauth/token', () => {
  it('issues a JWT-shaped Bearer token for a JSON client_credentials grant', async () => {
    const { accessKeyId, apiSecret } = sandbox.credentials.m3ter;
    const res = await tokenCall(basic(accessKeyId, apiSecret), { grant_type: 'client_credentials' });
    expectSpec(res, 'POST', PATHS.token, 200);
    expect(res.body).toEqual({ token_type: 'Bearer', access_token: expect.any(String), expires_in: 18000, scope: null });
    expect(res.body.access_token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('accepts the form-encoded grant too', async () => {
    const { accessKeyId, apiSecret } = sandbox.credentials.m3ter;
    const res = await tokenCall(basic(accessKeyId, apiSecret), new URLSearchParams({ grant_type: 'client_credentials' }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectSpec(res, 'POST', PATHS.token, 200);
    expect(res.body.token_type).toBe('Bearer');
  });

  it('issues a different token on every call', async () => {
    const first = await tokenFor(sandbox, a.org);
    const second = await tokenFor(sandbox, a.org);
    expect(first).not.toBe(second);
  });

  it('reports the configured lifetime in expires_in', async () => {
    sandbox.setFaults('m3ter', { tokenLifetimeS: 120 });
    try {
      const { accessKeyId, apiSecret } = sandbox.credentials.m3ter;
      const res = await tokenCall(basic(accessKeyId, apiSecret), { grant_type: 'client_credentials' });
      expectSpec(res, 'POST', PATHS.token, 200);
      expect(res.body.expires_in).toBe(120);
    } finally {
      sandbox.setFaults('m3ter', {});
    }
  });

  it.each([
    ['a wrong api secret', () => basic(sandbox.credentials.m3ter.accessKeyId, 'ms_wrong')],
    ['an unknown access key id', () => basic('AKUNKNOWN', sandbox.credentials.m3ter.apiSecret)],
    ['no Authorization header', () => undefined],
    ['a Bearer header', () => 'Bearer abc'],
    ['Basic credentials without a colon', () => `Basic ${Buffer.from('justakey').toString('base64')}`],
  ])('answers 401 {message} for %s', async (_label, authorization) => {
    const res = await tokenCall(authorization(), { grant_type: 'client_credentials' });
    expectError(res, 'POST', PATHS.token, 401);
  });

  it('refuses one org\'s access key id paired with another org\'s secret', async () => {
    const keyA = a.org.credentials[0]!;
    const keyB = b.org.credentials[0]!;
    const res = await tokenCall(basic(keyA.accessKeyId, keyB.apiSecret), { grant_type: 'client_credentials' });
    expectError(res, 'POST', PATHS.token, 401);
  });

  it.each([
    ['another grant type', { grant_type: 'password' }, undefined],
    ['no grant type', {}, undefined],
    ['a non-string grant type', { grant_type: 42 }, undefined],
    ['malformed JSON', '{"grant_type":', { 'content-type': 'application/json' }],
    ['a JSON array', '["client_credentials"]', { 'content-type': 'application/json' }],
    ['an empty body', '', { 'content-type': 'application/json' }],
    ['another form grant type', 'grant_type=authorization_code', { 'content-type': 'application/x-www-form-urlencoded' }],
  ])('answers 400 {message} for %s', async (_label, body, headers) => {
    const { accessKeyId, apiSecret } = sandbox.credentials.m3ter;
    const res = await tokenCall(basic(accessKeyId, apiSecret), body, headers);
    expectError(res, 'POST', PATHS.token, 400, /grant_type|body/);
  });

  it('answers 405 {message} with Allow for GET', async () => {
    const res = await call(sandbox, 'GET', '/oauth/token');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(Object.keys(res.body)).toEqual(['message']);
  });
});

describe('m3ter: bearer authentication on /organizations/{orgId}', () => {
  it('answers 401 {"message":"Unauthorized"} without an Authorization header', async () => {
    const res = await orgCall(sandbox, a, 'GET', '/externalmappings', { token: null });
    expectError(res, 'GET', PATHS.list, 401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
  });

  it('answers 401 before 404 on an unknown path without a token, and 404 with one', async () => {
    const anonymous = await orgCall(sandbox, a, 'GET', '/nothing-here', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: 'Unauthorized' });
    const known = await orgCall(sandbox, a, 'GET', '/nothing-here');
    expect(known.status).toBe(404);
    expect(Object.keys(known.body)).toEqual(['message']);
  });

  it.each([
    ['an unknown token', () => 'Bearer not-a-token'],
    ['a tampered token', () => `Bearer ${a.token}x`],
    ['Basic credentials', () => basic(sandbox.credentials.m3ter.accessKeyId, sandbox.credentials.m3ter.apiSecret)],
  ])('answers 403 {message} for %s', async (_label, authorization) => {
    const res = await orgCall(sandbox, a, 'GET', '/externalmappings', { token: null, headers: { authorization: authorization() } });
    expectError(res, 'GET', PATHS.list, 403);
  });

  it('accepts the token until expires_in has passed, then answers 403', async () => {
    const token = await tokenFor(sandbox, a.org);
    sandbox.advanceClock(18_000_000 - 5_000);
    const live = await orgCall(sandbox, a, 'GET', '/externalmappings', { token });
    expectSpec(live, 'GET', PATHS.list, 200);
    sandbox.advanceClock(5_000);
    const expired = await orgCall(sandbox, a, 'GET', '/externalmappings', { token });
    expectError(expired, 'GET', PATHS.list, 403, /expired/);
    // A fresh token works again at the new time.
    a = { ...a, token: await tokenFor(sandbox, a.org) };
    b = { ...b, token: await tokenFor(sandbox, b.org) };
    expectSpec(await orgCall(sandbox, a, 'GET', '/externalmappings'), 'GET', PATHS.list, 200);
  });

  it('answers 403 for an org id that does not exist', async () => {
    const res = await call(sandbox, 'GET', '/organizations/00000000-0000-4000-8000-000000000000/externalmappings', { token: a.token });
    expectError(res, 'GET', PATHS.list, 403);
  });
});
