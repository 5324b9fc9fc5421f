// Zuora in tests: the seeded tenants and their OAuth clients by role, raw calls to the simulator
// for contract suites, and adapter clients wired to record their events for adapter suites.
import { expect } from 'vitest';
import type { ZuoraTenant } from '../../../src/config.js';
import { GatewayError, type UpstreamError } from '../../../src/errors.js';
import type { UpstreamCallEvent } from '../../../src/upstreams/http.js';
import type { TokenFetchEvent } from '../../../src/upstreams/token-provider.js';
import { createZuoraClient, type ZuoraClient, type ZuoraClientOptions } from '../../../src/upstreams/zuora/client.js';
import type { LedgerEntry, Sandbox } from '../../../sandbox/index.js';
import type { ZuoraClientFixture, ZuoraConnectionRecord, ZuoraTenantFixture } from '../../../sandbox/fixtures/types.js';
import { ADAPTER_HEALTH } from '../adapter-health.js';
import { http, type HttpResult } from '../http.js';

/**
 * `8a80825555a3c7a10155b460f53858e6` → `8a808255-55a3-c7a1-0155-b460f53858e6`: Zuora ids are 32
 * hex digits in bodies and hyphenated in token scopes and the `Zuora-Entity-Ids` header.
 */
export function hyphenated(id: string): string {
  const hex = id.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- The seed ----------------------------------------------------------------------------------

/** A sandbox Zuora tenant with its clients by role. */
export interface TenantFixture {
  fixture: ZuoraTenantFixture;
  rootId: string;
  /** Global admin: admin on every entity. */
  admin: ZuoraClientFixture;
  /** Every entity, no admin rights. */
  reader: ZuoraClientFixture;
  /** The client whose only entity is `fixture.entities[index]`, as its admin. */
  entityAdmin(index: number): ZuoraClientFixture;
  entityId(index: number): string;
}

export function tenantFixture(sandbox: Sandbox, index: number): TenantFixture {
  const fixture = sandbox.fixtures.zuora.tenants[index];
  const [admin, reader] = fixture?.clients ?? [];
  if (!fixture || !admin || !reader) throw new Error(`fixture assumption: Zuora tenant #${index} has an admin and a reader client`);
  const entityId = (entityIndex: number): string => {
    const id = fixture.entities[entityIndex]?.id;
    if (id === undefined) throw new Error(`fixture assumption: tenant #${index} has entity #${entityIndex}`);
    return id;
  };
  return {
    fixture,
    rootId: entityId(0),
    admin,
    reader,
    entityId,
    entityAdmin(entityIndex) {
      const wanted = entityId(entityIndex);
      const client = fixture.clients.find((c) => c.entities.length === 1 && c.entities[0]?.entityId === wanted);
      if (!client) throw new Error(`fixture assumption: entity #${entityIndex} has its own admin client`);
      return client;
    },
  };
}

/** A provisioned source and target with no Pending or Connected connection source → target. */
export function openPair(tenant: TenantFixture, connections: readonly ZuoraConnectionRecord[] = tenant.fixture.connections): { source: string; target: string } {
  const provisioned = tenant.fixture.entities.filter((entity) => entity.status === 'Provisioned');
  for (const source of provisioned) {
    for (const target of provisioned) {
      if (source.id === target.id) continue;
      const busy = connections.some(
        (c) => c.sourceEntityId === source.id && c.targetEntityId === target.id && (c.status === 'Pending' || c.status === 'Connected'),
      );
      if (!busy) return { source: source.id, target: target.id };
    }
  }
  throw new Error('fixture assumption: some provisioned pair has no open connection');
}

/** The seeded connections of one entity, both directions. */
export function connectionsOf(tenant: TenantFixture, entityId: string): ZuoraConnectionRecord[] {
  return tenant.fixture.connections.filter((c) => c.sourceEntityId === entityId || c.targetEntityId === entityId);
}

/** The seeded connection of a status, with the entity that may act on it. */
export function seededConnection(tenant: TenantFixture, status: ZuoraConnectionRecord['status']): ZuoraConnectionRecord {
  const found = tenant.fixture.connections.find((c) => c.status === status);
  if (!found) throw new Error(`fixture assumption: tenant has a ${status} connection`);
  return found;
}

// ---- The wire, for contract suites --------------------------------------------------------------

export function tokenRequest(sandbox: Sandbox, client: ZuoraClientFixture, headers: Record<string, string> = {}): Promise<HttpResult> {
  const form = new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'client_credentials' });
  return http(`${sandbox.urls.zuora}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form.toString(),
  });
}

export async function tokenFor(sandbox: Sandbox, client: ZuoraClientFixture, headers: Record<string, string> = {}): Promise<string> {
  const res = await tokenRequest(sandbox, client, headers);
  expect(res.status, res.text).toBe(200);
  return res.body.access_token as string;
}

export interface ZuoraCallOptions {
  method?: string;
  token?: string;
  /** The acting entity as a 32-hex id; sent hyphenated in `Zuora-Entity-Ids`. */
  entity?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export function zuoraCall(sandbox: Sandbox, path: string, options: ZuoraCallOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.entity !== undefined) headers['zuora-entity-ids'] = hyphenated(options.entity);
  return http(`${sandbox.urls.zuora}${path}`, { method: options.method ?? 'GET', headers, body: options.body });
}

/** A session: one client's token and the entity it acts as. */
export interface ZuoraSession {
  token: string;
  entity: string;
  call(path: string, options?: Omit<ZuoraCallOptions, 'token' | 'entity'>): Promise<HttpResult>;
}

export async function sessionFor(sandbox: Sandbox, client: ZuoraClientFixture, entity: string): Promise<ZuoraSession> {
  const token = await tokenFor(sandbox, client);
  return { token, entity, call: (path, options = {}) => zuoraCall(sandbox, path, { ...options, token, entity }) };
}

/** Zuora's business-failure envelope: HTTP 200 unless told, success:false, one reason code. */
export function expectFailure(res: HttpResult, code: number, status = 200): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body).toEqual({ success: false, processId: expect.stringMatching(/^[0-9A-F]{16}$/), reasons: [{ code, message: expect.any(String) }] });
}

export function expectSuccess(res: HttpResult): void {
  expect(res.status, res.text).toBe(200);
  expect(res.body.success, res.text).toBe(true);
}

// ---- The adapter, for adapter suites ------------------------------------------------------------

/** The gateway's config for one sandbox OAuth client: every entity it may act as. */
export function tenantConfig(client: ZuoraClientFixture, extra: Partial<ZuoraTenant> = {}): ZuoraTenant {
  return {
    name: client.label,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    entityIds: client.entities.map((grant) => hyphenated(grant.entityId)),
    ...extra,
  };
}

export interface TestClient {
  client: ZuoraClient;
  calls: UpstreamCallEvent[];
  tokenFetches: TokenFetchEvent[];
}

/** Fast backoff so retries do not slow the suite; everything else as in production. */
export const FAST_RETRY = { backoffBaseMs: 20, backoffLimitMs: 100, noiseMs: 0 };

const open: ZuoraClient[] = [];

export function makeClient(sandbox: Sandbox, tenant: ZuoraTenant, overrides: Partial<ZuoraClientOptions> = {}): TestClient {
  const calls: UpstreamCallEvent[] = [];
  const tokenFetches: TokenFetchEvent[] = [];
  const client = createZuoraClient({
    url: sandbox.urls.zuora,
    tenant,
    retry: FAST_RETRY,
    onUpstreamCall: (event) => calls.push(event),
    onTokenFetch: (event) => tokenFetches.push(event),
    health: ADAPTER_HEALTH,
    ...overrides,
  });
  open.push(client);
  return { client, calls, tokenFetches };
}

/** For `afterEach`: closes every client made since the last call. */
export function closeClients(): void {
  for (const client of open.splice(0)) client.close();
}

/** The rejection of `promise`, which must be a `GatewayError`. */
export async function rejectionOf<T extends GatewayError = UpstreamError>(promise: Promise<unknown>): Promise<T> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.error).toBeInstanceOf(GatewayError);
  return outcome.error as T;
}

/** Zuora ledger entries since `mark`, optionally of one path. */
export function zuoraEntries(sandbox: Sandbox, mark: number, path?: string | RegExp): LedgerEntry[] {
  return sandbox.ledger.list({ vendor: 'zuora', sinceSeq: mark, ...(path === undefined ? {} : { path }) });
}

export function tokenCalls(sandbox: Sandbox, mark = 0): number {
  return sandbox.ledger.count({ vendor: 'zuora', path: '/oauth/token', sinceSeq: mark });
}

/** Asserts an error says nothing a client must not see. */
export function expectSafe(error: unknown, secrets: readonly string[], sandbox: Sandbox): void {
  const texts = [JSON.stringify(error), (error as Error).message];
  const host = new URL(sandbox.urls.zuora).host;
  for (const text of texts) {
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(host);
    expect(text).not.toContain('127.0.0.1');
    // Sandbox tokens, process ids and entity ids are all long hex runs; none belongs in an error.
    expect(text).not.toMatch(/[0-9a-f]{16,}/i);
    // Vendor bodies: `{"message":…}`, `reasons`, `processId`.
    expect(text).not.toMatch(/reasons|processId|Authentication error|Service Unavailable/);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
