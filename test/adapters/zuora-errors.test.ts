// Every failure shape the Zuora sandbox can produce through the client, and what the gateway
// makes of it: class, code, retryable, status, vendor code, and nothing unsafe.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import type { ZuoraClient } from '../../src/upstreams/zuora/client.js';
import type { Sandbox } from '../../sandbox/index.js';
import { withSandbox } from '../helpers/with-sandbox.js';
import type { ZuoraClientFixture } from '../../sandbox/fixtures/types.js';
import {
  closeClients,
  expectSafe,
  hyphenated,
  makeClient,
  openPair,
  rejectionOf,
  seededConnection,
  tenantConfig,
  tenantFixture,
  type TenantFixture,
} from '../helpers/vendors/zuora.js';

const sandbox = withSandbox();
let tenant: TenantFixture;

beforeAll(async () => {
  tenant = tenantFixture(sandbox, 0);
});
afterEach(closeClients);

interface Case {
  name: string;
  /** Who calls: the OAuth client and (optionally) a changed config for it. */
  as?: (t: TenantFixture) => { client: ZuoraClientFixture; extraEntities?: string[]; clientSecret?: string };
  setup?: (sandbox: Sandbox) => void;
  call: (client: ZuoraClient, t: TenantFixture) => Promise<unknown>;
  expected: { type: new (...args: never[]) => UpstreamError; code: string; retryable: boolean; status: number | undefined; vendorCode: string | undefined };
}

const CASES: Case[] = [
  {
    name: 'bad client credentials at the token call (401)',
    as: (t) => ({ client: t.admin, clientSecret: `zs_${'0'.repeat(39)}` }),
    call: (c, t) => c.listEntities({ entityId: t.rootId }),
    expected: { type: UpstreamAuthFailedError, code: 'UPSTREAM_AUTH_FAILED', retryable: false, status: 401, vendorCode: undefined },
  },
  {
    name: 'unknown connection (category 40)',
    call: (c, t) => c.acceptConnection({ entityId: t.rootId, connectionId: 'e'.repeat(32) }),
    expected: { type: UpstreamNotFoundError, code: 'NOT_FOUND', retryable: false, status: 200, vendorCode: '50000040' },
  },
  {
    name: 'caller may only read (category 10)',
    as: (t) => ({ client: t.reader }),
    call: (c, t) => {
      const { source, target } = openPair(t);
      return c.initiateConnection({ entityId: source, targetEntityId: target });
    },
    expected: { type: UpstreamForbiddenError, code: 'FORBIDDEN', retryable: false, status: 200, vendorCode: '50000010' },
  },
  {
    name: 'only the target may accept (category 10)',
    call: (c, t) => {
      const pending = seededConnection(t, 'Pending');
      return c.acceptConnection({ entityId: pending.sourceEntityId, connectionId: pending.id });
    },
    expected: { type: UpstreamForbiddenError, code: 'FORBIDDEN', retryable: false, status: 200, vendorCode: '50000010' },
  },
  {
    name: 'acting entity outside the token scope (90000010)',
    // Configured for an entity the OAuth client was never granted.
    as: (t) => ({ client: t.entityAdmin(1), extraEntities: [t.entityId(2)] }),
    call: (c, t) => c.listEntities({ entityId: t.entityId(2) }),
    expected: { type: UpstreamForbiddenError, code: 'FORBIDDEN', retryable: false, status: 200, vendorCode: '90000010' },
  },
  {
    name: 'state rule broken: disconnecting a Pending connection (category 30)',
    call: (c, t) => {
      const pending = seededConnection(t, 'Pending');
      return c.disconnectConnection({ entityId: pending.sourceEntityId, connectionId: pending.id });
    },
    expected: { type: UpstreamConflictError, code: 'CONFLICT', retryable: false, status: 200, vendorCode: '50000030' },
  },
  {
    name: 'rate limited beyond 5 s (429, 90000070)',
    setup: (s) => s.setFaults('zuora', { rules: [{ kind: 'rate-limited', retryAfterS: 60, match: { path: '^/v1/' } }] }),
    call: (c, t) => c.listEntities({ entityId: t.rootId }),
    expected: { type: UpstreamRateLimitedError, code: 'UPSTREAM_RATE_LIMITED', retryable: true, status: 429, vendorCode: '90000070' },
  },
  ...([500, 502, 503, 504] as const).map(
    (status): Case => ({
      name: `server error ${status}, every attempt`,
      setup: (s) => s.setFaults('zuora', { rules: [{ kind: 'server-error', status, match: { path: '^/v1/' } }] }),
      call: (c, t) => c.listEntities({ entityId: t.rootId }),
      expected: { type: UpstreamUnavailableError, code: 'UPSTREAM_UNAVAILABLE', retryable: true, status, vendorCode: undefined },
    }),
  ),
  {
    name: 'server error at the token call',
    setup: (s) => s.setFaults('zuora', { rules: [{ kind: 'server-error', status: 502, match: { path: '^/oauth/' } }] }),
    call: (c, t) => c.listEntities({ entityId: t.rootId }),
    expected: { type: UpstreamUnavailableError, code: 'UPSTREAM_UNAVAILABLE', retryable: true, status: 502, vendorCode: undefined },
  },
  {
    name: 'no answer within the attempt timeout, every attempt',
    setup: (s) => s.setFaults('zuora', { rules: [{ kind: 'hang', hangMs: 1000, match: { path: '^/v1/' } }] }),
    call: (c, t) => c.listEntities({ entityId: t.rootId }),
    expected: { type: UpstreamTimeoutError, code: 'UPSTREAM_TIMEOUT', retryable: true, status: undefined, vendorCode: undefined },
  },
  {
    name: 'connection dropped, every attempt',
    setup: (s) => s.setFaults('zuora', { rules: [{ kind: 'drop', match: { path: '^/v1/' } }] }),
    call: (c, t) => c.listEntities({ entityId: t.rootId }),
    expected: { type: UpstreamUnavailableError, code: 'UPSTREAM_UNAVAILABLE', retryable: true, status: undefined, vendorCode: undefined },
  },
];

describe('Zuora client: error mapping', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('maps %s', async (_name, testCase) => {
    const who = testCase.as?.(tenant) ?? { client: tenant.admin };
    const config = tenantConfig(who.client, {
      ...(who.clientSecret === undefined ? {} : { clientSecret: who.clientSecret }),
      entityIds: [...who.client.entities.map((g) => hyphenated(g.entityId)), ...(who.extraEntities ?? []).map(hyphenated)],
    });
    const { client } = makeClient(sandbox, config, { timeouts: { attemptMs: 200 } });
    testCase.setup?.(sandbox);

    const error = await rejectionOf(testCase.call(client, tenant));

    const { type, ...fields } = testCase.expected;
    expect(error).toBeInstanceOf(type);
    expect({ code: error.code, retryable: error.retryable, status: error.status, vendorCode: error.vendorCode }).toEqual(fields);
    expect(error.vendor).toBe('zuora');
    expectSafe(error, [config.clientSecret, config.clientId], sandbox);
  });

  it('marks the vendor request id on errors for support, and nothing else from the response', async () => {
    const { client } = makeClient(sandbox, tenantConfig(tenant.admin));
    const error = await rejectionOf(client.acceptConnection({ entityId: tenant.rootId, connectionId: 'f'.repeat(32) }));
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(JSON.parse(JSON.stringify(error)) as object).sort()).toEqual(
      ['attempts', 'code', 'message', 'name', 'operation', 'requestId', 'retryable', 'status', 'vendor', 'vendorCode'].sort(),
    );
    expect(error.message).toBe('zuora acceptConnection: upstream has no such record (HTTP 200, code 50000040, 1 attempt)');
  });
});
