import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/errors.js';
import type { M3terClient } from '../../src/upstreams/m3ter/client.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { clientFor, FAST_RETRY, mappingInput, orgCalls, orgOf, upstreamErrorOf } from '../helpers/vendors/m3ter.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox({ reset: false });
let orgId: string;
/** Near-zero backoff and short attempts: these tests are about whether a retry happens, not when. */
let fast: M3terClient;

beforeAll(async () => {
  orgId = orgOf(sandbox, 0).orgId;
  fast = clientFor(sandbox, 0, { retry: FAST_RETRY, timeouts: { attemptMs: 300, deadlineMs: 10_000 } });
});

beforeEach(() => sandbox.clearFaults());

afterAll(() => {

  fast.close();

});

const CONFIGURATION = 'externalmappingconfiguration';

function statuses(mark: number): number[] {
  return orgCalls(sandbox, orgId, mark).map((call) => call.status);
}

describe('m3ter client: retries of reads and idempotent writes', () => {
  it.each([500, 502, 503, 504] as const)('retries a GET after a %i and succeeds', async (status) => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status, times: 2, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    expect((await fast.getConfiguration()).m3terEntities.length).toBeGreaterThan(0);
    expect(statuses(mark)).toEqual([status, status, 200]);
  });

  it('retries a GET whose connection was dropped', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'drop', times: 1, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    await fast.getConfiguration();
    expect(statuses(mark)).toEqual([0, 200]);
  });

  it('retries a GET that hung past the attempt timeout', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'hang', times: 1, hangMs: 2000, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    await fast.getConfiguration();
    expect(statuses(mark)).toEqual([0, 200]);
  });

  it('retries PUT and DELETE, which are idempotent', async () => {
    const created = await fast.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('retry-writes') });
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 502, times: 1, match: { method: 'PUT' } }, { kind: 'server-error', status: 504, times: 1, match: { method: 'DELETE' } }] });
    const mark = sandbox.ledger.mark;
    const updated = await fast.updateMapping({ id: created.id, mapping: { ...mappingInput('retry-writes'), externalId: '001retried', version: 1 } });
    expect(updated.version).toBe(2);
    expect((await fast.deleteMapping({ id: created.id }))?.version).toBe(2);
    expect(orgCalls(sandbox, orgId, mark).map((call) => `${call.method} ${call.status}`)).toEqual(['PUT 502', 'PUT 200', 'DELETE 504', 'DELETE 200']);
  });

  it('stops at three attempts with a retryable UPSTREAM_UNAVAILABLE', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'server-error', status: 503, match: { path: CONFIGURATION } }] });
    const mark = sandbox.ledger.mark;
    const error = await upstreamErrorOf(fast.getConfiguration());
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503, retryable: true, attempts: 3 });
    expect(statuses(mark)).toEqual([503, 503, 503]);
  });

  it('stops at three hung attempts with a retryable UPSTREAM_TIMEOUT', async () => {
    sandbox.setFaults('m3ter', { rules: [{ kind: 'hang', hangMs: 2000, match: { path: CONFIGURATION } }] });
    const error = await upstreamErrorOf(fast.getConfiguration());
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: undefined, retryable: true, attempts: 3 });
  });
});
