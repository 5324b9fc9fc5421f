import { afterAll, describe, expect, it } from 'vitest';
import {
  UpstreamAuthFailedError,
  UpstreamContractError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
  type UpstreamError,
} from '../../src/errors.js';
import type { RevioClient } from '../../src/upstreams/revio/client.js';
import { createRevioHttp } from '../../src/upstreams/revio/revio-http.js';
import type { Sandbox } from '../../sandbox/index.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import { CUSTOMER, expectSafe, SALESFORCE, tenantConfig, testClient, upstreamFailure } from '../helpers/vendors/revio.js';
import { ExistedBefore } from '../../src/lib/existed-before.js';

const sandbox = withSandbox();
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const NEW_LINK = { integration_system_id: SALESFORCE, integration_entity_type_id: CUSTOMER, internal_id: 9003, external_id: 'err-test' };

interface Row {
  case: string;
  run: (sandbox: Sandbox) => { promise: Promise<unknown>; tenant: ReturnType<typeof tenantConfig> };
  class: abstract new (...args: never[]) => UpstreamError;
  expected: Record<string, unknown>;
  /** Requests the failing call may send. */
  calls: number;
}

function withClient(tenant: ReturnType<typeof tenantConfig>, call: (client: RevioClient) => Promise<unknown>) {
  const { client } = testClient(sandbox, 0, { tenant }, cleanups);
  return { promise: call(client), tenant };
}

const table: Row[] = [
  {
    case: 'a wrong password (application 401)',
    run: () => withClient({ ...tenantConfig(sandbox, 0), password: 'rv_wrong-password-123' }, (c) => c.listSystems()),
    class: UpstreamAuthFailedError,
    expected: { code: 'UPSTREAM_AUTH_FAILED', status: 401, retryable: false, attempts: 1, vendorCode: undefined },
    calls: 1,
  },
  {
    case: 'an unknown subscription key (gateway 401)',
    run: () => withClient({ ...tenantConfig(sandbox, 0), subscriptionKey: 'f'.repeat(32) }, (c) => c.searchKeyLinks()),
    class: UpstreamAuthFailedError,
    expected: { code: 'UPSTREAM_AUTH_FAILED', status: 401, retryable: false, attempts: 1 },
    calls: 1,
  },
  {
    case: "a login of another tenant's client code (401)",
    run: () => withClient({ ...tenantConfig(sandbox, 0), clientCode: tenantConfig(sandbox, 1).clientCode }, (c) => c.searchKeyLinks()),
    class: UpstreamAuthFailedError,
    expected: { code: 'UPSTREAM_AUTH_FAILED', status: 401, retryable: false },
    calls: 1,
  },
  {
    case: 'a read-only role creating a link (application 403)',
    run: () => withClient(tenantConfig(sandbox, 0, 'read-only'), (c) => c.createKeyLink({ before: ExistedBefore.of([]), link: NEW_LINK })),
    class: UpstreamForbiddenError,
    expected: { code: 'FORBIDDEN', status: 403, retryable: false, attempts: 1, operation: 'createKeyLink' },
    calls: 1,
  },
  {
    case: 'a read-only role deleting a link (application 403)',
    run: () => withClient(tenantConfig(sandbox, 0, 'read-only'), (c) => c.deleteKeyLink({ id: 1 })),
    class: UpstreamForbiddenError,
    expected: { code: 'FORBIDDEN', status: 403, retryable: false, attempts: 1 },
    calls: 1,
  },
  {
    case: 'the daily quota (gateway 403)',
    run: (sb) => {
      sb.setLimits('revio', { windows: [{ name: 'per-day', max: 0, windowMs: 86_400_000, answer: 'quota-exhausted' }] });
      return withClient(tenantConfig(sb, 0), (c) => c.searchKeyLinks());
    },
    class: UpstreamRateLimitedError,
    expected: { code: 'UPSTREAM_RATE_LIMITED', status: 403, vendorCode: 'QUOTA_EXHAUSTED', retryable: true, attempts: 1 },
    calls: 1,
  },
  {
    case: 'the per-minute rate limit (gateway 429, Retry-After past 5 s)',
    run: (sb) => {
      sb.setLimits('revio', { windows: [{ name: 'per-minute', max: 0, windowMs: 60_000, answer: 'rate-limited' }] });
      return withClient(tenantConfig(sb, 0), (c) => c.listSystems());
    },
    class: UpstreamRateLimitedError,
    expected: { code: 'UPSTREAM_RATE_LIMITED', status: 429, retryable: true, attempts: 1, retryAfterMs: 60_000 },
    calls: 1,
  },
  {
    case: 'an unknown id (404)',
    run: () => withClient(tenantConfig(sandbox, 0), (c) => c.deleteKeyLink({ id: 99_999 })),
    class: UpstreamNotFoundError,
    expected: { code: 'NOT_FOUND', status: 404, retryable: false, attempts: 1 },
    calls: 1,
  },
  {
    case: 'an internal id Rev.io does not have (400)',
    run: () => withClient(tenantConfig(sandbox, 0), (c) => c.createKeyLink({ before: ExistedBefore.of([]), link: { ...NEW_LINK, internal_id: 777_777 } })),
    class: UpstreamRejectedError,
    expected: { code: 'BAD_USER_INPUT', status: 400, retryable: false, attempts: 1 },
    calls: 1,
  },
  {
    case: 'a server error on every attempt (500)',
    run: (sb) => {
      sb.setFaults('revio', { rules: [{ kind: 'server-error', status: 500 }] });
      return withClient(tenantConfig(sb, 0), (c) => c.replaceKeyLink({ id: 1, link: NEW_LINK }));
    },
    class: UpstreamUnavailableError,
    expected: { code: 'UPSTREAM_UNAVAILABLE', status: 500, retryable: true, attempts: 3 },
    // 3 PUTs, then the read-back that might settle an unanswered one (3 failed searches).
    calls: 6,
  },
];

describe('Rev.io client: error mapping', () => {
  it.each(table)('maps $case to its class, code and retry facts, with nothing secret', async (row) => {
    const { promise, tenant } = row.run(sandbox);
    const error = await upstreamFailure(promise);
    expect(error).toBeInstanceOf(row.class);
    expect(error).toMatchObject({ vendor: 'revio', ...row.expected });
    expect(sandbox.ledger.count({ vendor: 'revio' })).toBe(row.calls);
    expectSafe(error, sandbox, tenant);
  });

  it('does not retry a quota 403 within the call, and says when to try again', async () => {
    sandbox.setLimits('revio', { windows: [{ name: 'per-day', max: 1, windowMs: 86_400_000, answer: 'quota-exhausted' }] });
    const { client } = testClient(sandbox, 0, {}, cleanups);
    await client.listSystems();
    const error = await upstreamFailure(client.listSystems());
    expect(error.retryAfterMs).toBeGreaterThan(5000);
    expect(sandbox.ledger.list().map((e) => e.status)).toEqual([200, 403]);
  });

  it('maps a 405 to an internal contract error (our bug), logged not shown', async () => {
    const http = createRevioHttp({ url: sandbox.urls.revio, tenant: tenantConfig(sandbox, 0) });
    cleanups.push(() => http.close());
    const error = await upstreamFailure(http.got.patch('v1/IntegrationKeyLink/1', { json: {}, context: { ...http.context('patchKeyLink') } }));
    expect(error).toBeInstanceOf(UpstreamContractError);
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', internal: true, status: 405, retryable: false, attempts: 1 });
    expectSafe(error, sandbox, tenantConfig(sandbox, 0));
  });

  it('sends the subscription key and Basic login@clientcode on every call', async () => {
    const tenant = tenantConfig(sandbox, 2);
    const { client } = testClient(sandbox, 2, {}, cleanups);
    await client.resolveCatalog();
    await client.getKeyLink({ id: 1 });
    // The sandbox answers 401 unless both headers name this client; the ledger names the key's tenant.
    expect(sandbox.ledger.list().map((e) => [e.tenant, e.status])).toEqual([
      [tenant.clientCode, 200],
      [tenant.clientCode, 200],
      [tenant.clientCode, 200],
    ]);
  });
});
