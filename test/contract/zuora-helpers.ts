// Shared by the Zuora contract suites: tokens per OAuth client, `/v1` calls with an acting
// entity, and the shapes every Zuora answer must have.
import { expect } from 'vitest';
import type { Sandbox } from '../../sandbox/index.js';
import type { ZuoraClientFixture, ZuoraTenantFixture } from '../../sandbox/fixtures/types.js';
import { http, type HttpResult } from '../helpers/http.js';

/** `8a80825555a3c7a10155b460f53858e6` → `8a808255-55a3-c7a1-0155-b460f53858e6` (CONTRACTS.md §1.2). */
export function uuidOf(id: string): string {
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

/** A tenant's seeded clients by role: global admin, non-admin reader, and one admin per entity. */
export interface ZuoraTenant {
  fixture: ZuoraTenantFixture;
  rootId: string;
  admin: ZuoraClientFixture;
  reader: ZuoraClientFixture;
  /** The client whose only entity is `fixture.entities[index]`. */
  entityAdmin(index: number): ZuoraClientFixture;
}

export function zuoraTenant(sandbox: Sandbox, index: number): ZuoraTenant {
  const fixture = sandbox.fixtures.zuora.tenants[index];
  if (!fixture) throw new Error(`the sandbox has no Zuora tenant #${index}`);
  const [admin, reader] = fixture.clients;
  if (!admin || !reader) throw new Error('fixture assumption: each tenant has an admin and a reader client');
  return {
    fixture,
    rootId: (fixture.entities[0] as { id: string }).id,
    admin,
    reader,
    entityAdmin(entityIndex) {
      const entityId = fixture.entities[entityIndex]?.id;
      const client = fixture.clients.find((c) => c.entities.length === 1 && c.entities[0]?.entityId === entityId);
      if (!client) throw new Error(`no single-entity client for entity #${entityIndex}`);
      return client;
    },
  };
}

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
  if (options.entity !== undefined) headers['zuora-entity-ids'] = uuidOf(options.entity);
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

/** Asserts Zuora's business-failure envelope: HTTP 200 unless told, success:false, one reason code. */
export function expectFailure(res: HttpResult, code: number, status = 200): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body).toEqual({ success: false, processId: expect.stringMatching(/^[0-9A-F]{16}$/), reasons: [{ code, message: expect.any(String) }] });
}

export function expectSuccess(res: HttpResult): void {
  expect(res.status, res.text).toBe(200);
  expect(res.body.success, res.text).toBe(true);
}
