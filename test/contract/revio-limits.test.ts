import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { type RevioSession, revioSession } from '../helpers/vendors/revio.js';
import { withSandbox } from '../helpers/with-sandbox.js';

const LIST = '/v1/IntegrationKeyLink';


describe('Rev.io sandbox: limits and injected failures', () => {
  const sandbox = withSandbox({ limits: 'vendor' });
  beforeAll(async () => {
    // Vendor limits on, as by default; each test narrows them to something a test can reach.
  });

  it('answers 429 in the gateway shape with Retry-After once a key passes its per-minute rate', async () => {
    sandbox.setLimits('revio', { windows: [{ name: 'per-minute', max: 3, windowMs: 60_000, answer: 'rate-limited' }] });
    const a = revioSession(sandbox, 0);
    for (let i = 0; i < 3; i++) expect((await a.call(LIST)).status).toBe(200);
    const res = await a.call(LIST);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, message: expect.any(String) });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expectMatchesSpec('revio', 'GET', LIST, 429, res.body);
    // Counted per subscription key: another client still gets through.
    expect((await revioSession(sandbox, 1).call(LIST)).status).toBe(200);
  });

  it('answers 403 in the gateway shape with Retry-After once a key exhausts its quota', async () => {
    sandbox.setLimits('revio', { windows: [{ name: 'per-day', max: 1, windowMs: 86_400_000, answer: 'quota-exhausted' }] });
    const a = revioSession(sandbox, 0);
    expect((await a.call(LIST)).status).toBe(200);
    const res = await a.call(`${LIST}/1`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, message: expect.any(String) });
    expect(res.body).not.toHaveProperty('ok');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
    expectMatchesSpec('revio', 'GET', '/v1/IntegrationKeyLink/{id}', 403, res.body);
  });

  it('renders an injected server error in the application shape', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 502, times: 1 }] });
    const a = revioSession(sandbox, 0);
    const res = await a.call(LIST);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', LIST, 502, res.body);
    expect((await a.call(LIST)).status).toBe(200);
  });

  it('renders an injected rate limit as the gateway 429', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', times: 1, retryAfterS: 7 }] });
    const res = await revioSession(sandbox, 0).call(LIST, { method: 'POST', body: {} });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expectMatchesSpec('revio', 'POST', LIST, 429, res.body);
  });
});

describe('Rev.io sandbox: bad input never gets a 500', () => {
  const sandbox = withSandbox({ reset: false });
  let rv: RevioSession;
  beforeAll(async () => {
    rv = revioSession(sandbox, 0);
  });

  const cases: [string, string, unknown][] = [
    ['GET', `${LIST}/%E0%A4%A`, undefined],
    ['GET', `${LIST}?search.external_id=%E0%A4%A`, undefined],
    ['GET', `${LIST}?search.page=1e3`, undefined],
    ['GET', `${LIST}?search.page=2147483647&search.page_size=500`, undefined],
    ['GET', `${LIST}?search.page_size=99999999999999999999`, undefined],
    ['GET', `${LIST}?search.=1`, undefined],
    ['GET', `${LIST}?search.__proto__=1`, undefined],
    ['GET', `${LIST}?search.constructor=1`, undefined],
    ['GET', `${LIST}/-1`, undefined],
    ['GET', `${LIST}//1`, undefined],
    ['GET', '/v1/IntegrationSystem?search.system_name=%00', undefined],
    ['HEAD', LIST, undefined],
    ['OPTIONS', LIST, undefined],
    ['POST', LIST, '{"__proto__": {"integration_system_id": 4}}'],
    ['POST', LIST, 'null'],
    ['POST', LIST, '1e400'],
    ['POST', LIST, '{"integration_system_id": 1e400, "integration_entity_type_id": 2, "internal_id": 9000, "external_id": "x"}'],
    ['POST', LIST, '{"integration_system_id": {"a": 1}, "integration_entity_type_id": [2], "internal_id": true, "external_id": {}}'],
    ['POST', LIST, '\uFEFF{}'],
    ['PUT', `${LIST}/1`, '[]'],
    ['PUT', `${LIST}/1`, '{'],
    ['DELETE', `${LIST}/1.5`, undefined],
  ];

  it.each(cases)('answers %s %s with a vendor-shaped 4xx or a 2xx', async (method, path, body) => {
    const res = await rv.call(path, { method, body: body as string | undefined, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
    expect(res.status).toBeLessThan(500);
    if (method === 'HEAD') return;
    if (res.status >= 400) expect(res.body).toMatchObject({ ok: false, message: expect.any(String) });
    else expect(res.body).toMatchObject({ ok: true });
  });

  it('answers an empty page for a filtered page number far past the end', async () => {
    const res = await rv.call(`${LIST}?search.page=2147483647&search.page_size=500&search.integration_system_id=4&search.integration_entity_type_id=2`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, has_more: false, record_count: 0, records: [] });
  });

  it('answers a gateway 401 to garbage headers without a key', async () => {
    const res = await http(`${sandbox.urls.revio}${LIST}`, { headers: { authorization: 'Basic %%%' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401 });
  });
});
