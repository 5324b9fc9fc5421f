// Rev.io in tests: the seeded clients and users, raw calls to the simulator as one user for
// contract suites, and adapter clients with test-speed resilience settings for adapter suites.
import { expect } from 'vitest';
import type { RevioTenant } from '../../../src/config.js';
import { UpstreamError } from '../../../src/errors.js';
import type { UpstreamCallEvent } from '../../../src/upstreams/http.js';
import { createRevioClient, type RevioClientOptions, type RevioClient } from '../../../src/upstreams/revio/client.js';
import type { Sandbox } from '../../../sandbox/index.js';
import type { RevioClientFixture, RevioUserFixture } from '../../../sandbox/fixtures/types.js';
import { ADAPTER_HEALTH } from '../adapter-health.js';
import { basic, http, type HttpOptions, type HttpResult } from '../http.js';

/** The seeded integration systems' and entity types' ids, the same in every client's data. */
export const SALESFORCE = 4;
export const ZUORA = 10;
export const M3TER = 11;
export const CUSTOMER = 2;
export const PRODUCT = 10;

// ---- The seed ----------------------------------------------------------------------------------

export function fixtureClient(sandbox: Sandbox, index: number): RevioClientFixture {
  const client = sandbox.fixtures.revio.clients[index];
  if (!client) throw new Error(`the fixtures hold no Rev.io client #${index}`);
  return client;
}

export function userWithRole(client: RevioClientFixture, role: RevioUserFixture['role']): RevioUserFixture {
  const user = client.users.find((u) => u.role === role);
  if (!user) throw new Error(`Rev.io client ${client.clientCode} has no ${role} user`);
  return user;
}

// ---- The wire, for contract suites --------------------------------------------------------------

export const KEY_HEADER = 'Ocp-Apim-Subscription-Key';

/** One user of one seeded client, with both credentials (subscription key and Basic) set. */
export interface RevioSession {
  client: RevioClientFixture;
  user: RevioUserFixture;
  /** Both credential headers for this client and user. */
  headers: Record<string, string>;
  /** Calls `path` (with any query string) on the Rev.io simulator as this user. */
  call<T = any>(path: string, options?: HttpOptions): Promise<HttpResult<T>>;
}

export function credentialHeaders(client: RevioClientFixture, user: RevioUserFixture): Record<string, string> {
  return { [KEY_HEADER]: client.subscriptionKey, authorization: basic(`${user.login}@${client.clientCode}`, user.password) };
}

export function revioSession(sandbox: Sandbox, index: number, role: RevioUserFixture['role'] = 'read-write'): RevioSession {
  const client = fixtureClient(sandbox, index);
  const user = userWithRole(client, role);
  const headers = credentialHeaders(client, user);
  return {
    client,
    user,
    headers,
    call: (path, options = {}) => http(`${sandbox.urls.revio}${path}`, { ...options, headers: { ...headers, ...options.headers } }),
  };
}

/** Every page of a key-link list, following has_more; fails loudly rather than looping forever. */
export async function allPages<T>(fetchPage: (page: number) => Promise<HttpResult>, check?: (result: HttpResult) => void): Promise<T[]> {
  const records: T[] = [];
  for (let page = 1; page <= 1000; page++) {
    const result = await fetchPage(page);
    if (result.status !== 200) throw new Error(`page ${page} answered ${result.status}: ${result.text}`);
    check?.(result);
    records.push(...(result.body.records as T[]));
    if (!result.body.has_more) return records;
  }
  throw new Error('has_more never became false');
}

// ---- The adapter, for adapter suites ------------------------------------------------------------

export const SYSTEM_NAMES = { zuora: 'ZUORA', m3ter: 'M3TER' } as const;

export function tenantConfig(sandbox: Sandbox, index: number, role: RevioUserFixture['role'] = 'read-write'): RevioTenant {
  const client = fixtureClient(sandbox, index);
  const user = userWithRole(client, role);
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
  const basicCredentials = Buffer.from(`${tenant.login}@${tenant.clientCode}:${tenant.password}`).toString('base64');
  const host = new URL(sandbox.urls.revio).host;
  for (const text of texts) {
    // Credentials, where they went, and phrases of the sandbox's error bodies.
    for (const secret of [tenant.password, tenant.subscriptionKey, basicCredentials, host, '127.0.0.1', 'Basic ', '"ok":false', 'statusCode', 'Invalid login', 'Access denied', 'read-only', 'quota exhausted', 'No integration']) {
      expect(text).not.toContain(secret);
    }
  }
}
