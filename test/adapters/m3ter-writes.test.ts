import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamConflictError, UpstreamNotFoundError, UpstreamRejectedError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/errors.js';
import type { M3terClient } from '../../src/upstreams/m3ter/client.js';
import type { M3terMappingCreate } from '../../src/upstreams/m3ter/m3ter-types.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { clientFor, everyMapping, FAST_RETRY, idsOf, mappingInput, orgCalls, orgOf, upstreamErrorOf } from '../helpers/vendors/m3ter.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox({ reset: false });
let orgId: string;
let client: M3terClient;
/** Short attempts, so hung requests time out quickly; the hung sockets are released soon after. */
let impatient: M3terClient;

beforeAll(async () => {
  orgId = orgOf(sandbox, 0).orgId;
  client = clientFor(sandbox, 0);
  impatient = clientFor(sandbox, 0, { timeouts: { attemptMs: 400, deadlineMs: 8000 }, retry: FAST_RETRY });
});

afterEach(() => sandbox.clearFaults());

afterAll(async () => {
  client.close();
  impatient.close();
});

const POSTS = /\/externalmappings$/;
const SEARCHES = /\/externalmappings\/external\//;

/** Every stored mapping with the five fields of `input`, read back by m3ter object. */
async function stored(input: M3terMappingCreate) {
  const all = await everyMapping((position) => client.listMappingsByM3terObject({ m3terEntity: input.m3terEntity, m3terId: input.m3terId, ...position }));
  return all.filter((m) => m.externalSystem === input.externalSystem && m.externalTable === input.externalTable && m.externalId === input.externalId);
}

function calls(mark: number) {
  return orgCalls(sandbox, orgId, mark).map((call) => `${call.method} ${POSTS.test(call.path) ? 'mappings' : SEARCHES.test(call.path) ? 'search' : 'one'} ${call.status}`);
}

describe('m3ter client: create, update, delete (rows 2, 4, 5)', () => {
  it('creates a mapping at version 1 and reads it back', async () => {
    const input = mappingInput('create-1', { integrationConfigId: 'cfg-1' });
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: input, requestId: 'req-create-1' });
    expectMatchesSpec('m3ter', 'POST', '/organizations/{orgId}/externalmappings', 200, created);
    expect(created).toMatchObject({ ...input, version: 1 });
    expect(created.dtCreated).toBe(created.dtLastModified);
    expect(await client.getMapping({ id: created.id })).toEqual(created);
  });

  it('sends no version on create, even when the caller passes one', async () => {
    const input = { ...mappingInput('create-version'), version: 9 } as M3terMappingCreate;
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: input });
    expect(created.version).toBe(1);
  });

  it('finds free-text external ids through the by-external-id path, encoded segment by segment', async () => {
    for (const [tag, externalId] of [['slash', 'a/b/c'], ['space', 'with inner space'], ['percent', '100%25 ?x=1#frag'], ['unicode', 'ü-日本-😀'], ['dots', 'a..b']]) {
      const input = mappingInput(`odd-${tag}`, { externalId: externalId as string, m3terId: `odd/${tag} id` });
      const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: input });
      expect(created.externalId).toBe(externalId);
      const byExternal = await everyMapping((position) => client.listMappingsByExternalId({ externalSystem: input.externalSystem, externalTable: input.externalTable, externalId: input.externalId, ...position }));
      expect(idsOf(byExternal)).toEqual([created.id]);
      expect(idsOf(await stored(input))).toEqual([created.id]);
    }
  });

  it('updates with the current version and gets version + 1', async () => {
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('update-1') });
    const updated = await client.updateMapping({ id: created.id, mapping: { ...mappingInput('update-1'), externalId: '001changed', version: created.version ?? 1 } });
    expectMatchesSpec('m3ter', 'PUT', '/organizations/{orgId}/externalmappings/{id}', 200, updated);
    expect(updated).toMatchObject({ id: created.id, version: 2, externalId: '001changed', dtCreated: created.dtCreated });
  });

  it('reports a stale version as CONFLICT, not retryable, after re-reading the mapping once', async () => {
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('stale') });
    await client.updateMapping({ id: created.id, mapping: { ...mappingInput('stale'), externalId: '001first', version: 1 } });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.updateMapping({ id: created.id, mapping: { ...mappingInput('stale'), externalId: '001second', version: 1 } }));
    expect(error).toBeInstanceOf(UpstreamConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', retryable: false, status: 400, operation: 'updateMapping' });
    expect(calls(mark)).toEqual(['PUT one 400', 'GET one 200']);
    expect((await client.getMapping({ id: created.id })).externalId).toBe('001first');
  });

  it('reports refused input with an unchanged version as BAD_USER_INPUT, without retrying', async () => {
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('bad-update') });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.updateMapping({ id: created.id, mapping: { ...mappingInput('bad-update'), m3terEntity: 'NotAnEntity', version: 1 } }));
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', retryable: false, status: 400 });
    expect(calls(mark)).toEqual(['PUT one 400', 'GET one 200']);
  });

  it('reports an update of an unknown mapping as NOT_FOUND', async () => {
    const error = await upstreamErrorOf(client.updateMapping({ id: '00000000-0000-4000-8000-000000000000', mapping: { ...mappingInput('ghost'), version: 1 } }));
    expect(error).toBeInstanceOf(UpstreamNotFoundError);
  });

  it('deletes a mapping and answers with it as it was', async () => {
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('delete-1') });
    const deleted = await client.deleteMapping({ id: created.id });
    expectMatchesSpec('m3ter', 'DELETE', '/organizations/{orgId}/externalmappings/{id}', 200, deleted);
    expect(deleted).toEqual(created);
    await expect(client.getMapping({ id: created.id })).rejects.toBeInstanceOf(UpstreamNotFoundError);
    await expect(client.deleteMapping({ id: created.id })).rejects.toBeInstanceOf(UpstreamNotFoundError);
  });

  it('reports an exact duplicate as BAD_USER_INPUT with one POST and no search', async () => {
    const input = mappingInput('duplicate');
    await client.createMapping({ before: ExistedBefore.of([]), mapping: input });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(client.createMapping({ before: ExistedBefore.of([]), mapping: input }));
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', retryable: false, status: 400 });
    expect(calls(mark)).toEqual(['POST mappings 400']);
  });
});

describe('m3ter client: create without an idempotency key', () => {
  it('returns the one mapping when the POST was applied but its answer never came', async () => {
    const input = mappingInput('applied-then-hung');
    sandbox.setFaults('m3ter', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST', path: POSTS.source }, times: 1, hangMs: 3000 }] });
    const mark = sandbox.ledger.mark;
    const created = await impatient.createMapping({ before: ExistedBefore.of([]), mapping: input });
    expect(created).toMatchObject({ ...input, version: 1 });
    expect(idsOf(await stored(input))).toEqual([created.id]);
    expect(calls(mark).slice(0, 2)).toEqual(['POST mappings 200', 'GET search 200']);
    expect(orgCalls(sandbox, orgId, mark).filter((call) => call.method === 'POST')).toHaveLength(1);
  });

  it('posts again, once, when the first POST hung before being applied', async () => {
    const input = mappingInput('hung-not-applied');
    sandbox.setFaults('m3ter', { rules: [{ kind: 'hang', match: { method: 'POST', path: POSTS.source }, times: 1, hangMs: 3000 }] });
    const mark = sandbox.ledger.mark;
    const created = await impatient.createMapping({ before: ExistedBefore.of([]), mapping: input });
    expect(idsOf(await stored(input))).toEqual([created.id]);
    expect(calls(mark).slice(0, 3)).toEqual(['POST mappings 0', 'GET search 200', 'POST mappings 200']);
  });

  it('never re-POSTs without searching first, and gives up after three POSTs', async () => {
    const input = mappingInput('always-503');
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, match: { method: 'POST', path: POSTS.source } }] });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(impatient.createMapping({ before: ExistedBefore.of([]), mapping: input }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ retryable: true, status: 503, attempts: 1 });
    expect(calls(mark)).toEqual(['POST mappings 503', 'GET search 200', 'POST mappings 503', 'GET search 200', 'POST mappings 503', 'GET search 200']);
    sandbox.clearFaults();
    expect(await stored(input)).toEqual([]);
  });

  it('reports a timeout without posting blind when the search cannot run either', async () => {
    const input = mappingInput('search-down');
    sandbox.setFaults('m3ter', {
      rules: [
        { kind: 'hang', match: { method: 'POST', path: POSTS.source }, times: 1, hangMs: 3000 },
        { kind: 'server-error', status: 500, match: { method: 'GET', path: SEARCHES.source } },
      ],
    });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(impatient.createMapping({ before: ExistedBefore.of([]), mapping: input }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error.retryable).toBe(true);
    expect(orgCalls(sandbox, orgId, mark).filter((call) => call.method === 'POST')).toHaveLength(1);
  });
});

describe('m3ter client: update whose answer was lost', () => {
  it('recognises its own applied PUT when the retry meets the new version', async () => {
    const created = await client.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('put-lost') });
    sandbox.setFaults('m3ter', { rules: [{ kind: 'apply-then-hang', match: { method: 'PUT' }, times: 1, hangMs: 3000 }] });
    const mark = sandbox.ledger.mark;
    const updated = await impatient.updateMapping({ id: created.id, mapping: { ...mappingInput('put-lost'), externalId: '001after', version: 1 } });
    expect(updated).toMatchObject({ id: created.id, version: 2, externalId: '001after' });
    expect(calls(mark)).toEqual(['PUT one 200', 'PUT one 400', 'GET one 200']);
  });
});
