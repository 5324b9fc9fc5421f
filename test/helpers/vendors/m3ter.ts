// m3ter in tests: the seeded orgs, raw calls to the simulator checked against the vendor spec
// for contract suites, and adapter clients per org for adapter suites.
import { expect } from 'vitest';
import type { M3terTenant } from '../../../src/config.js';
import { UpstreamError } from '../../../src/errors.js';
import { createM3terClient, type M3terClient, type M3terClientOptions } from '../../../src/upstreams/m3ter/client.js';
import type { M3terMapping, M3terMappingCreate, M3terMappingPage } from '../../../src/upstreams/m3ter/m3ter-types.js';
import type { M3terMappingRecord, M3terOrgFixture } from '../../../sandbox/fixtures/types.js';
import type { LedgerEntry, Sandbox } from '../../../sandbox/index.js';
import { ADAPTER_HEALTH } from '../adapter-health.js';
import { basic, http, type HttpResult } from '../http.js';
import { expectMatchesSpec } from '../vendor-spec.js';

// ---- The seed ----------------------------------------------------------------------------------

export function orgOf(sandbox: Sandbox, index: number): M3terOrgFixture {
  const org = sandbox.fixtures.m3ter.orgs[index];
  if (!org) throw new Error(`the sandbox has no m3ter org #${index}`);
  return org;
}

/** A valid MappingRequest for the seeded configuration (entity Account), unique per `tag`; overrides may be anything the wire takes. */
export function mappingRequest(tag: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { m3terEntity: 'Account', m3terId: `acct-${tag}`, externalSystem: 'Salesforce', externalTable: 'Account', externalId: `001${tag}`, ...overrides };
}

/** The same create as the client's typed input. */
export function mappingInput(tag: string, overrides: Partial<M3terMappingCreate> = {}): M3terMappingCreate {
  return { ...(mappingRequest(tag) as unknown as M3terMappingCreate), ...overrides };
}

/** The list order: newest `dtCreated` first, then id. */
export function newestFirst(a: Pick<M3terMappingRecord, 'dtCreated' | 'id'>, b: Pick<M3terMappingRecord, 'dtCreated' | 'id'>): number {
  const byDate = Date.parse(b.dtCreated) - Date.parse(a.dtCreated);
  return byDate !== 0 ? byDate : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function idsOf(rows: readonly { id: string }[]): string[] {
  return rows.map((row) => row.id);
}

/** Ledger entries of one org's data calls since `mark`. */
export function orgCalls(sandbox: Sandbox, orgId: string, mark: number): LedgerEntry[] {
  return sandbox.ledger.list({ vendor: 'm3ter', sinceSeq: mark, path: `/organizations/${orgId}/` });
}

export function tokenCalls(sandbox: Sandbox, mark: number): LedgerEntry[] {
  return sandbox.ledger.list({ vendor: 'm3ter', sinceSeq: mark, path: '/oauth/token' });
}

// ---- The wire, for contract suites --------------------------------------------------------------

export const PATHS = {
  token: '/oauth/token',
  list: '/organizations/{orgId}/externalmappings',
  one: '/organizations/{orgId}/externalmappings/{id}',
  byExternalId: '/organizations/{orgId}/externalmappings/externalid/{system}/{externalTable}/{externalId}',
  byM3terObject: '/organizations/{orgId}/externalmappings/external/{entity}/{m3terId}',
  configuration: '/organizations/{orgId}/externalmappingconfiguration',
  values: '/organizations/{orgId}/externalmappingconfiguration/values/{destination}/{entityType}',
  valuesWithCredentials: '/organizations/{orgId}/externalmappingconfiguration/values/{destination}/{entityType}/{integrationCredentialsId}',
} as const;

export interface OrgSession {
  org: M3terOrgFixture;
  orgId: string;
  token: string;
}

/** Asks the simulator for a token with the org's first access key, as the SDKs do (JSON body). */
export async function tokenFor(sandbox: Sandbox, org: M3terOrgFixture): Promise<string> {
  const key = org.credentials[0];
  if (!key) throw new Error(`org ${org.orgId} has no access key`);
  const res = await http(`${sandbox.urls.m3ter}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(key.accessKeyId, key.apiSecret) },
    body: { grant_type: 'client_credentials' },
  });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

export async function sessionFor(sandbox: Sandbox, index: number): Promise<OrgSession> {
  const org = orgOf(sandbox, index);
  return { org, orgId: org.orgId, token: await tokenFor(sandbox, org) };
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  query?: Record<string, string | string[] | number>;
  headers?: Record<string, string>;
}

/** A call to `/organizations/{orgId}` + `path` with the session's token unless told otherwise. */
export function orgCall(sandbox: Sandbox, session: OrgSession, method: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
  return call(sandbox, method, `/organizations/${session.orgId}${path}`, { token: session.token, ...options });
}

export function call(sandbox: Sandbox, method: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) query.append(name, String(one));
  }
  const search = query.size > 0 ? `?${query}` : '';
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return http(`${sandbox.urls.m3ter}${path}${search}`, { method, headers, body: options.body });
}

/** Checks status and, for every status the spec documents (200, 4XX, 5XX), the body's schema. */
export function expectSpec(res: HttpResult, method: string, template: string, status: number): void {
  expect(res.status, `body: ${res.text.slice(0, 300)}`).toBe(status);
  expectMatchesSpec('m3ter', method, template, status, res.body);
}

/** m3ter's error envelope: exactly `{ message: string }`. */
export function expectError(res: HttpResult, method: string, template: string, status: number, message?: RegExp): void {
  expectSpec(res, method, template, status);
  expect(Object.keys(res.body)).toEqual(['message']);
  expect(typeof res.body.message).toBe('string');
  if (message) expect(res.body.message).toMatch(message);
}

/** Every page of a list, following nextToken to the end with the same filters each time. */
export async function pageAll(
  sandbox: Sandbox,
  session: OrgSession,
  path: string,
  template: string,
  query: Record<string, string | string[] | number> = {},
): Promise<{ rows: M3terMappingRecord[]; pages: number }> {
  const rows: M3terMappingRecord[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const res = await orgCall(sandbox, session, 'GET', path, { query: nextToken ? { ...query, nextToken } : query });
    expectSpec(res, 'GET', template, 200);
    rows.push(...res.body.data);
    nextToken = res.body.nextToken;
    if (nextToken !== undefined) expect(nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
    pages++;
    if (pages > 1000) throw new Error('paging did not end');
  } while (nextToken);
  return { rows, pages };
}

// ---- The adapter, for adapter suites ------------------------------------------------------------

export function tenantOf(org: M3terOrgFixture): M3terTenant {
  const key = org.credentials[0];
  if (!key) throw new Error(`org ${org.orgId} has no access key`);
  return { name: org.label, orgId: org.orgId, accessKeyId: key.accessKeyId, apiSecret: key.apiSecret };
}

/**
 * A client for seeded org `index`. No client-side rate cap unless a test sets one: suites that
 * make many calls run against `limits: 'off'`, and the cap is tested on its own.
 */
export function clientFor(sandbox: Sandbox, index: number, overrides: Partial<M3terClientOptions> = {}): M3terClient {
  return createM3terClient({ url: sandbox.urls.m3ter, tenant: tenantOf(orgOf(sandbox, index)), limits: { concurrency: 100 }, health: ADAPTER_HEALTH, ...overrides });
}

/** Retries without the production backoff, for tables of failures. */
export const FAST_RETRY = { backoffBaseMs: 5, backoffLimitMs: 10, noiseMs: 0 } as const;

/** Fixture records as the wire shows them, sorted by id, for `toEqual` against client results. */
export function sorted(rows: readonly M3terMapping[]): M3terMapping[] {
  return [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The rejection of `promise`, which must be an `UpstreamError`. */
export async function upstreamErrorOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

/**
 * An error is safe to show: no token (m3ter's look like JWTs), secret, access key, host, URL or
 * vendor message in its message, its JSON or its cause.
 */
export function expectNoLeaks(error: Error, sandbox: Sandbox, tenant: M3terTenant): void {
  const texts = [error.message, JSON.stringify(error), String(error.cause ?? ''), JSON.stringify(error.cause ?? null)];
  const host = new URL(sandbox.urls.m3ter);
  for (const text of texts) {
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    expect(text).not.toMatch(/bearer|basic /i);
    expect(text).not.toContain(tenant.apiSecret);
    expect(text).not.toContain(tenant.accessKeyId);
    expect(text).not.toContain(host.hostname);
    expect(text).not.toContain(host.port);
    expect(text).not.toMatch(/https?:|organizations\/|externalmappings/i);
    // Fragments of the sandbox's `{message}` bodies.
    expect(text).not.toMatch(/version mismatch|Forbidden:|Unauthorized|not found|Too Many Requests|Service Unavailable|Bad Gateway|must be/i);
  }
}

/** Every mapping of a paged list, following `nextToken` to the last page. */
export async function everyMapping(page: (position: { nextToken?: string }) => Promise<M3terMappingPage>): Promise<M3terMapping[]> {
  const all: M3terMapping[] = [];
  let nextToken: string | undefined;
  do {
    const result = await page(nextToken === undefined ? {} : { nextToken });
    all.push(...result.mappings);
    nextToken = result.nextToken;
  } while (nextToken !== undefined);
  return all;
}
