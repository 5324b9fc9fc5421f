import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { http } from '../helpers/http.js';
import { revioTenant, type RevioTenant } from './revio-tenant.js';

const LIST = '/v1/IntegrationKeyLink';

describe('Rev.io sandbox: bad input never gets a 500', () => {
  let sandbox: Sandbox;
  let rv: RevioTenant;
  beforeAll(async () => {
    sandbox = await startSandbox({ limits: 'off' });
    rv = revioTenant(sandbox, 0);
  });
  afterAll(() => sandbox.close());

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
