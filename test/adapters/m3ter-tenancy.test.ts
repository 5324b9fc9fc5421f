import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamNotFoundError } from '../../src/errors.js';
import type { M3terClient } from '../../src/upstreams/m3ter/client.js';
import type { M3terOrgFixture } from '../../sandbox/fixtures/types.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { clientFor, everyMapping, idsOf, mappingInput, orgCalls, orgOf, sorted, tokenCalls } from '../helpers/vendors/m3ter.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox({ reset: false });
let orgs: M3terOrgFixture[];
let clients: M3terClient[];

beforeAll(async () => {
  orgs = [orgOf(sandbox, 0), orgOf(sandbox, 1)];
  clients = [clientFor(sandbox, 0), clientFor(sandbox, 1)];
});

afterAll(() => {

  for (const client of clients) client.close();

});

describe('m3ter client: two orgs side by side', () => {
  it('lists each org\'s own mappings when both page at once', async () => {
    const mark = sandbox.ledger.mark;
    const [a, b] = await Promise.all(clients.map((client) => client.listAllMappings()));
    expect(sorted(a ?? [])).toEqual(sorted(orgs[0]?.mappings ?? []));
    expect(sorted(b ?? [])).toEqual(sorted(orgs[1]?.mappings ?? []));
    for (const [index, org] of orgs.entries()) {
      const calls = orgCalls(sandbox, org.orgId, mark);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.tenant).toBe(orgs[index]?.orgId);
    }
  });

  it('keeps identical mappings in two orgs apart: same m3ter id, same external id', async () => {
    const input = mappingInput('shared-in-both-orgs');
    const created = await Promise.all(clients.map((client, i) => client.createMapping({ before: ExistedBefore.of([]), mapping: input, requestId: `req-create-${i}` })));
    expect(created[0]?.id).not.toBe(created[1]?.id);

    const lookups = await Promise.all(
      clients.map(async (client) => ({
        byIds: await client.listAllMappings({ m3terIds: [input.m3terId] }),
        byExternal: await everyMapping((position) => client.listMappingsByExternalId({ externalSystem: input.externalSystem, externalTable: input.externalTable, externalId: input.externalId, ...position })),
        byObject: await everyMapping((position) => client.listMappingsByM3terObject({ m3terEntity: input.m3terEntity, m3terId: input.m3terId, ...position })),
      })),
    );
    for (const [i, lookup] of lookups.entries()) {
      const own = [created[i]?.id];
      expect(idsOf(lookup.byIds)).toEqual(own);
      expect(idsOf(lookup.byExternal)).toEqual(own);
      expect(idsOf(lookup.byObject)).toEqual(own);
    }
  });

  it('cannot read, update or delete another org\'s mapping by id', async () => {
    const theirs = orgs[1]?.mappings[0];
    if (!theirs) throw new Error('org 1 has no mappings');
    const mine = clients[0] as M3terClient;
    await expect(mine.getMapping({ id: theirs.id })).rejects.toBeInstanceOf(UpstreamNotFoundError);
    await expect(mine.deleteMapping({ id: theirs.id })).rejects.toBeInstanceOf(UpstreamNotFoundError);
    await expect(mine.updateMapping({ id: theirs.id, mapping: { ...mappingInput('x'), version: theirs.version } })).rejects.toBeInstanceOf(UpstreamNotFoundError);
    expect(await (clients[1] as M3terClient).getMapping({ id: theirs.id })).toEqual(theirs);
  });

  it('sends each org only to its own path, with its own token, and the caller\'s request id', async () => {
    const mark = sandbox.ledger.mark;
    await Promise.all(
      clients.flatMap((client, i) => Array.from({ length: 20 }, (_, n) => client.getConfiguration({ requestId: `org${i}-req${n}` }))),
    );
    const all = sandbox.ledger.list({ vendor: 'm3ter', sinceSeq: mark });
    // Both tokens were cached by earlier tests: nothing but data calls, none refused.
    expect(tokenCalls(sandbox, mark)).toHaveLength(0);
    expect(all).toHaveLength(40);
    for (const [i, org] of orgs.entries()) {
      const calls = all.filter((call) => call.headers['x-request-id']?.startsWith(`org${i}-`));
      expect(calls).toHaveLength(20);
      for (const call of calls) {
        expect(call.status).toBe(200);
        expect(call.tenant).toBe(org.orgId);
        expect(call.path).toBe(`/organizations/${org.orgId}/externalmappingconfiguration`);
      }
      expect(new Set(calls.map((call) => call.headers['x-request-id'])).size).toBe(20);
    }
  });
});
