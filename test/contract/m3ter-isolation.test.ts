import { beforeAll, describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { expectError, expectSpec, mappingRequest, orgCall, type OrgSession, PATHS, sessionFor } from '../helpers/vendors/m3ter.js';
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

describe('m3ter: tenant isolation', () => {
  const asAInB = () => ({ ...b, token: a.token });

  it('answers 403 to every operation on another org with this org\'s token', async () => {
    const target = b.org.mappings[0]!;
    const foreign = asAInB();
    const attempts = [
      ['GET', '/externalmappings', PATHS.list, undefined],
      ['POST', '/externalmappings', PATHS.list, mappingRequest('intruder')],
      ['GET', `/externalmappings/${target.id}`, PATHS.one, undefined],
      ['PUT', `/externalmappings/${target.id}`, PATHS.one, mappingRequest('intruder', { version: target.version })],
      ['DELETE', `/externalmappings/${target.id}`, PATHS.one, undefined],
      ['GET', `/externalmappings/external/${target.m3terEntity}/${target.m3terId}`, PATHS.byM3terObject, undefined],
      [
        'GET',
        `/externalmappings/externalid/${target.externalSystem}/${target.externalTable}/${encodeURIComponent(target.externalId)}`,
        PATHS.byExternalId,
        undefined,
      ],
      ['GET', '/externalmappingconfiguration', PATHS.configuration, undefined],
    ] as const;
    for (const [method, path, template, body] of attempts) {
      const res = await orgCall(sandbox, foreign, method, path, { body });
      expectError(res, method, template, 403);
    }
    // Org B's mapping is untouched, and nothing was created there.
    const after = await orgCall(sandbox, b, 'GET', `/externalmappings/${target.id}`);
    expectSpec(after, 'GET', PATHS.one, 200);
    expect(after.body).toEqual(target);
    const search = await orgCall(sandbox, b, 'GET', '/externalmappings/external/Account/acct-intruder');
    expect(search.body.data).toEqual([]);
  });

  it('never shows one org\'s mappings in another org, even by id', async () => {
    const ofA = a.org.mappings[0]!;
    const byId = await orgCall(sandbox, b, 'GET', `/externalmappings/${ofA.id}`);
    expectError(byId, 'GET', PATHS.one, 404);
    const list = await orgCall(sandbox, b, 'GET', '/externalmappings', { query: { pageSize: 200 } });
    expectSpec(list, 'GET', PATHS.list, 200);
    const idsOfA = new Set(a.org.mappings.map((m) => m.id));
    expect(list.body.data.filter((m: { id: string }) => idsOfA.has(m.id))).toEqual([]);
  });

  it('refuses a nextToken issued for another org', async () => {
    const page = await orgCall(sandbox, a, 'GET', '/externalmappings', { query: { pageSize: 1 } });
    expect(page.body.nextToken).toEqual(expect.any(String));
    const res = await orgCall(sandbox, b, 'GET', '/externalmappings', { query: { pageSize: 1, nextToken: page.body.nextToken } });
    expectError(res, 'GET', PATHS.list, 400, /nextToken/);
  });
});
