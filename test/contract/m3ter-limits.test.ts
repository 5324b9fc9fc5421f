import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { call, expectError, expectSpec, mappingRequest, orgCall, type OrgSession, PATHS, sessionFor, tokenFor } from '../helpers/vendors/m3ter.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const sandbox = withSandbox({ reset: false });
let org: OrgSession;

beforeAll(async () => {
  org = await sessionFor(sandbox, 0);
});

const create = (body: unknown) => orgCall(sandbox, org, 'POST', '/externalmappings', { body });
const read = (id: string) => orgCall(sandbox, org, 'GET', `/externalmappings/${id}`);
const update = (id: string, body: unknown) => orgCall(sandbox, org, 'PUT', `/externalmappings/${id}`, { body });
const remove = (id: string) => orgCall(sandbox, org, 'DELETE', `/externalmappings/${id}`);

describe('m3ter: the per-org rate limit', () => {
  const rateLimited = withSandbox({ limits: 'vendor', reset: false });
  let a: OrgSession;
  let b: OrgSession;

  beforeAll(async () => {
    // The vendor's own limits, as they are on by default: 50 requests per second per org.
    a = await sessionFor(rateLimited, 0);
    b = await sessionFor(rateLimited, 1);
  });

  it('answers 429 {"message":"Too Many Requests"} without Retry-After past 50 calls a second, for that org only', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => orgCall(rateLimited, a, 'GET', '/externalmappings')));
    const limited = results.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    for (const res of results) {
      if (res.status === 429) {
        expectError(res, 'GET', PATHS.list, 429);
        expect(res.body).toEqual({ message: 'Too Many Requests' });
        expect(res.headers).not.toHaveProperty('retry-after');
      } else {
        expectSpec(res, 'GET', PATHS.list, 200);
      }
    }
    // Another org has its own budget, and the token call counts against no org.
    expectSpec(await orgCall(rateLimited, b, 'GET', '/externalmappings'), 'GET', PATHS.list, 200);
    expect(await tokenFor(rateLimited, a.org)).toEqual(expect.any(String));
  });
});

describe('m3ter: bad input gets 400 {message}, never a 500', () => {
  const fields = ['m3terEntity', 'm3terId', 'externalSystem', 'externalTable', 'externalId'] as const;

  it.each(fields)('answers 400 when %s is missing, null, empty, not a string, or badly spaced', async (field) => {
    const bad: unknown[] = [undefined, null, '', 42, true, ['x'], { x: 1 }, ' lead', 'trail ', 'tab\there', 'line\nbreak', 'bell\u0007', 'del\u007f', '\u0000'];
    for (const value of bad) {
      const body = mappingRequest(`bad-${field}`);
      if (value === undefined) delete body[field];
      else body[field] = value;
      const res = await create(body);
      expectError(res, 'POST', PATHS.list, 400, new RegExp(field));
    }
  });

  it('answers 400 to malformed JSON, a non-object body and an empty body', async () => {
    for (const raw of ['{"m3terEntity":', '[]', '"text"', 'null', '', 'not json']) {
      const res = await orgCall(sandbox, org, 'POST', '/externalmappings', { body: raw, headers: { 'content-type': 'application/json' } });
      expectError(res, 'POST', PATHS.list, 400, /body/);
    }
  });

  it('answers 400 to a wrongly typed version or integrationConfigId', async () => {
    const created = await create(mappingRequest('types-1'));
    for (const version of ['1', 1.5, true, [1]]) {
      expectError(await update(created.body.id, mappingRequest('types-1', { version })), 'PUT', PATHS.one, 400, /version/);
    }
    expectError(await create(mappingRequest('types-2', { integrationConfigId: 7 })), 'POST', PATHS.list, 400, /integrationConfigId/);
  });

  it('ignores unknown fields and read-only fields in the request body', async () => {
    const res = await create(mappingRequest('extra', { id: 'chosen-id', dtCreated: '2000-01-01T00:00:00Z', color: 'blue' }));
    expectSpec(res, 'POST', PATHS.list, 200);
    expect(res.body.id).not.toBe('chosen-id');
    expect(res.body).not.toHaveProperty('color');
  });

  it('answers 405 {message} with Allow to a method the path does not take', async () => {
    const seeded = org.org.mappings[0]!;
    for (const [method, path, allow] of [
      ['PATCH', `/externalmappings/${seeded.id}`, 'GET, PUT, DELETE'],
      ['POST', `/externalmappings/${seeded.id}`, 'GET, PUT, DELETE'],
      ['DELETE', '/externalmappings', 'GET, POST'],
      ['PUT', '/externalmappingconfiguration', 'GET'],
    ] as const) {
      const res = await orgCall(sandbox, org, method, path, { body: method === 'DELETE' ? undefined : {} });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(Object.keys(res.body)).toEqual(['message']);
    }
  });

  it('answers 404 {message} to unknown paths, inside and outside an org', async () => {
    const inside = await orgCall(sandbox, org, 'GET', '/externalmappings/a/b/c/d/e/f');
    expect(inside.status).toBe(404);
    expect(Object.keys(inside.body)).toEqual(['message']);
    const outside = await http(`${sandbox.urls.m3ter}/v1/entities`);
    expect(outside.status).toBe(404);
    expect(Object.keys(outside.body)).toEqual(['message']);
  });

  it('answers 400 {message} to malformed percent-encoding in a path segment', async () => {
    const res = await orgCall(sandbox, org, 'GET', '/externalmappings/externalid/Salesforce/Account/%E0%A4%A');
    expectError(res, 'GET', PATHS.byExternalId, 400);
  });
});

describe('m3ter: injected failures in the vendor shape', () => {
  it('renders an injected 502 as 502 {message}', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 502, times: 1 }] });
    const res = await orgCall(sandbox, org, 'GET', '/externalmappings');
    sandbox.setFaults('m3ter', {});
    expectError(res, 'GET', PATHS.list, 502);
  });

  it('renders an injected 429 as {"message":"Too Many Requests"}, with Retry-After only when the fault gives one', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'rate-limited', times: 1 }] });
    const habitual = await orgCall(sandbox, org, 'GET', '/externalmappings');
    sandbox.setFaults('m3ter', { rules: [{ kind: 'rate-limited', retryAfterS: 3, times: 1 }] });
    const explicit = await orgCall(sandbox, org, 'GET', '/externalmappings');
    sandbox.setFaults('m3ter', {});
    expectError(habitual, 'GET', PATHS.list, 429);
    expect(habitual.body).toEqual({ message: 'Too Many Requests' });
    expect(habitual.headers).not.toHaveProperty('retry-after');
    expectError(explicit, 'GET', PATHS.list, 429);
    expect(explicit.headers['retry-after']).toBe('3');
  });
});
