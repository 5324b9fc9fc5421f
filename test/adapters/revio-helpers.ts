// Shared by the revio-*.test.ts adapter suites: Rev.io clients for the seeded client tenants,
// built with test-speed resilience settings, and small readers of the sandbox ledger.
import { expect } from 'vitest';
import type { RevioTenant } from '../../src/config.js';
import { UpstreamError } from '../../src/errors.js';
import type { UpstreamCallEvent } from '../../src/upstreams/http.js';
import { createRevioClient, type RevioClient, type RevioClientOptions } from '../../src/upstreams/revio/client.js';
import type { Sandbox } from '../../sandbox/index.js';
import type { RevioClientFixture, RevioUserFixture } from '../../sandbox/fixtures/types.js';
import { ADAPTER_HEALTH } from '../helpers/adapter-health.js';

export const SYSTEM_NAMES = { zuora: 'ZUORA', m3ter: 'M3TER' } as const;
/** Seeded ids (CONTRACTS §3.5). */
export const SALESFORCE = 4;
export const ZUORA = 10;
export const M3TER = 11;
export const CUSTOMER = 2;
export const PRODUCT = 10;

export function fixtureClient(sandbox: Sandbox, index: number): RevioClientFixture {
  const client = sandbox.fixtures.revio.clients[index];
  if (!client) throw new Error(`the fixtures hold no Rev.io client #${index}`);
  return client;
}

export function tenantConfig(sandbox: Sandbox, index: number, role: RevioUserFixture['role'] = 'read-write'): RevioTenant {
  const client = fixtureClient(sandbox, index);
  const user = client.users.find((u) => u.role === role);
  if (!user) throw new Error(`Rev.io client ${client.clientCode} has no ${role} user`);
  return { name: client.label, clientCode: client.clientCode, login: user.login, password: user.password, subscriptionKey: client.subscriptionKey };
}

export interface TestClient {
  client: RevioClient;
  tenant: RevioTenant;
  events: UpstreamCallEvent[];
}

/**
 * A client for seeded client #index: fast backoff, short attempt timeout (hang faults resolve
 * in well under a second), and no client-side rate cap unless a test asks for one.
 */
export function testClient(sandbox: Sandbox, index: number, overrides: Partial<RevioClientOptions> = {}, cleanups?: (() => unknown)[]): TestClient {
  const tenant = overrides.tenant ?? tenantConfig(sandbox, index);
  const events: UpstreamCallEvent[] = [];
  const client = createRevioClient({
    url: sandbox.urls.revio,
    tenant,
    systemNames: SYSTEM_NAMES,
    retry: { backoffBaseMs: 20, noiseMs: 0 },
    timeouts: { attemptMs: 400, deadlineMs: 8000 },
    limits: { concurrency: 16 },
    onUpstreamCall: (event) => events.push(event),
    random: () => 0,
    // These suites test the adapter's own retries; the circuit breaker and retry budget have theirs.
    health: ADAPTER_HEALTH,
    ...overrides,
  });
  cleanups?.push(() => client.close());
  return { client, tenant, events };
}

/** The rejection of `promise`, which must be an `UpstreamError`. */
export async function upstreamFailure(promise: Promise<unknown>): Promise<UpstreamError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(UpstreamError);
  return outcome.error as UpstreamError;
}

/** Asserts that neither the message nor the JSON form of an error carries anything secret. */
export function expectSafe(error: unknown, sandbox: Sandbox, tenant: RevioTenant): void {
  const texts = [(error as Error).message, JSON.stringify(error), String(error)];
  const basic = Buffer.from(`${tenant.login}@${tenant.clientCode}:${tenant.password}`).toString('base64');
  const host = new URL(sandbox.urls.revio).host;
  for (const text of texts) {
    // Credentials, where they went, and phrases of the sandbox's error bodies.
    for (const secret of [tenant.password, tenant.subscriptionKey, basic, host, '127.0.0.1', 'Basic ', '"ok":false', 'statusCode', 'Invalid login', 'Access denied', 'read-only', 'quota exhausted', 'No integration']) {
      expect(text).not.toContain(secret);
    }
  }
}

/** Milliseconds between two ledger entries, by the sandbox clock. */
export function gapMs(earlier: { time: string }, later: { time: string }): number {
  return Date.parse(later.time) - Date.parse(earlier.time);
}
