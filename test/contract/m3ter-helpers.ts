// Shared by the m3ter contract suites: tokens per org, calls by path, and spec checks.
import { expect } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import type { M3terMappingRecord, M3terOrgFixture } from '../../sandbox/fixtures/types.js';
import { basic, http, type HttpResult } from '../helpers/http.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';

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
  const org = sandbox.fixtures.m3ter.orgs[index];
  if (!org) throw new Error(`the sandbox has no m3ter org #${index}`);
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

/** The contract order: newest dtCreated first, then id. */
export function newestFirst(a: M3terMappingRecord, b: M3terMappingRecord): number {
  const byDate = Date.parse(b.dtCreated) - Date.parse(a.dtCreated);
  return byDate !== 0 ? byDate : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function ids(rows: readonly M3terMappingRecord[]): string[] {
  return rows.map((row) => row.id);
}

/** A valid MappingRequest for the org's first configured entity, unique per `tag`. */
export function mappingRequest(tag: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    m3terEntity: 'Account',
    m3terId: `acct-${tag}`,
    externalSystem: 'Salesforce',
    externalTable: 'Account',
    externalId: `001${tag}`,
    ...overrides,
  };
}
