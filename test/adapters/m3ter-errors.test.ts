import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  UpstreamAuthFailedError,
  UpstreamConflictError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type UpstreamError,
} from '../../src/errors.js';
import type { M3terClient } from '../../src/upstreams/m3ter/client.js';
import type { VendorFaults } from '../../sandbox/core/faults.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { clientFor, expectNoLeaks, FAST_RETRY, mappingInput, orgOf, tenantOf, upstreamErrorOf } from '../helpers/vendors/m3ter.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox({ reset: false });
let client: M3terClient;

beforeAll(async () => {
  client = clientFor(sandbox, 0, { retry: FAST_RETRY, timeouts: { attemptMs: 250, deadlineMs: 5000 } });
});

beforeEach(() => sandbox.clearFaults());

afterAll(() => {

  client.close();

});

interface Row {
  failure: string;
  faults?: VendorFaults;
  /** Builds a client other than the shared one (wrong credentials). */
  clientIndex?: 'bad-secret' | 'other-org';
  act: (client: M3terClient) => Promise<unknown>;
  expected: { type: abstract new (...args: never[]) => UpstreamError; code: string; retryable: boolean; status: number | undefined; retryAfterMs?: number };
}

const MISSING = '00000000-0000-4000-8000-000000000000';
const CONFIGURATION = { path: 'externalmappingconfiguration' };

const ROWS: Row[] = [
  {
    failure: '400 input refused (m3terEntity not configured)',
    act: (c) => c.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('bad-entity', { m3terEntity: 'Nope' }) }),
    expected: { type: UpstreamRejectedError, code: 'BAD_USER_INPUT', retryable: false, status: 400 },
  },
  {
    failure: '400 input refused (leading whitespace)',
    act: (c) => c.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('ws', { externalId: ' 001ws' }) }),
    expected: { type: UpstreamRejectedError, code: 'BAD_USER_INPUT', retryable: false, status: 400 },
  },
  {
    failure: '400 exact duplicate',
    act: async (c) => {
      await c.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('dup') });
      return c.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('dup') });
    },
    expected: { type: UpstreamRejectedError, code: 'BAD_USER_INPUT', retryable: false, status: 400 },
  },
  {
    failure: '400 stale version on update',
    act: async (c) => {
      const created = await c.createMapping({ before: ExistedBefore.of([]), mapping: mappingInput('stale') });
      await c.updateMapping({ id: created.id, mapping: { ...mappingInput('stale'), externalId: '001v2', version: 1 } });
      return c.updateMapping({ id: created.id, mapping: { ...mappingInput('stale'), externalId: '001v3', version: 1 } });
    },
    expected: { type: UpstreamConflictError, code: 'CONFLICT', retryable: false, status: 400 },
  },
  {
    failure: '404 unknown mapping',
    act: (c) => c.getMapping({ id: MISSING }),
    expected: { type: UpstreamNotFoundError, code: 'NOT_FOUND', retryable: false, status: 404 },
  },
  {
    failure: '401 token call with a wrong secret',
    clientIndex: 'bad-secret',
    act: (c) => c.getConfiguration(),
    expected: { type: UpstreamAuthFailedError, code: 'UPSTREAM_AUTH_FAILED', retryable: false, status: 401 },
  },
  {
    failure: '403 org not the token\'s, after one refresh',
    clientIndex: 'other-org',
    act: (c) => c.getConfiguration(),
    expected: { type: UpstreamForbiddenError, code: 'FORBIDDEN', retryable: false, status: 403 },
  },
  {
    failure: '429 with a Retry-After beyond 5 s',
    faults: { rules: [{ kind: 'rate-limited', retryAfterS: 60, match: CONFIGURATION }] },
    act: (c) => c.getConfiguration(),
    expected: { type: UpstreamRateLimitedError, code: 'UPSTREAM_RATE_LIMITED', retryable: true, status: 429, retryAfterMs: 60_000 },
  },
  ...([500, 502, 503, 504] as const).map(
    (status): Row => ({
      failure: `${status} server error`,
      faults: { rules: [{ kind: 'server-error', status, match: CONFIGURATION }] },
      act: (c) => c.getConfiguration(),
      expected: { type: UpstreamUnavailableError, code: 'UPSTREAM_UNAVAILABLE', retryable: true, status },
    }),
  ),
  {
    failure: 'no answer (hang)',
    faults: { rules: [{ kind: 'hang', hangMs: 1000, match: CONFIGURATION }] },
    act: (c) => c.getConfiguration(),
    expected: { type: UpstreamTimeoutError, code: 'UPSTREAM_TIMEOUT', retryable: true, status: undefined },
  },
  {
    failure: 'connection dropped',
    faults: { rules: [{ kind: 'drop', match: CONFIGURATION }] },
    act: (c) => c.getConfiguration(),
    expected: { type: UpstreamUnavailableError, code: 'UPSTREAM_UNAVAILABLE', retryable: true, status: undefined },
  },
];

describe('m3ter client: every failure the sandbox can produce, classified', () => {
  it.each(ROWS.map((row) => [row.failure, row] as const))('%s', async (_label, row) => {
    if (row.faults) sandbox.setFaults('m3ter', row.faults);
    const base = tenantOf(orgOf(sandbox, 0));
    const tenant =
      row.clientIndex === 'bad-secret'
        ? { ...base, apiSecret: 'wrong-secret-0123456789abcdef' }
        : row.clientIndex === 'other-org'
          ? { ...base, orgId: orgOf(sandbox, 1).orgId }
          : base;
    const subject = row.clientIndex === undefined ? client : clientFor(sandbox, 0, { tenant, retry: FAST_RETRY });
    const error = await upstreamErrorOf(row.act(subject));
    if (subject !== client) subject.close();

    const { type, code, retryable, status, retryAfterMs } = row.expected;
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    // m3ter sends `{message}` only, never a code of its own.
    expect(error.vendorCode).toBeUndefined();
    expect(error.vendor).toBe('m3ter');
    expect(error.retryAfterMs).toBe(retryAfterMs);
    expectNoLeaks(error, sandbox, tenant);
  });
});
