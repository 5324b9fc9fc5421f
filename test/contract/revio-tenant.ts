// Shared by the revio-*.test.ts contract suites: a seeded Rev.io client and a way to call the
// sandbox as one of its users, with both credentials (subscription key and Basic) set.
import type { Sandbox } from '../../sandbox/index.js';
import type { RevioClientFixture, RevioUserFixture } from '../../sandbox/fixtures/index.js';
import { basic, http, type HttpOptions, type HttpResult } from '../helpers/http.js';

export const KEY_HEADER = 'Ocp-Apim-Subscription-Key';

export interface RevioTenant {
  client: RevioClientFixture;
  user: RevioUserFixture;
  /** Both credential headers for this client and user. */
  headers: Record<string, string>;
  /** Calls `path` (with any query string) on the Rev.io simulator as this user. */
  call<T = any>(path: string, options?: HttpOptions): Promise<HttpResult<T>>;
}

export function revioClient(sandbox: Sandbox, index: number): RevioClientFixture {
  const client = sandbox.fixtures.revio.clients[index];
  if (!client) throw new Error(`the fixtures hold no Rev.io client #${index}`);
  return client;
}

export function userWithRole(client: RevioClientFixture, role: RevioUserFixture['role']): RevioUserFixture {
  const user = client.users.find((u) => u.role === role);
  if (!user) throw new Error(`Rev.io client ${client.clientCode} has no ${role} user`);
  return user;
}

export function credentialHeaders(client: RevioClientFixture, user: RevioUserFixture): Record<string, string> {
  return { [KEY_HEADER]: client.subscriptionKey, authorization: basic(`${user.login}@${client.clientCode}`, user.password) };
}

export function revioTenant(sandbox: Sandbox, index: number, role: RevioUserFixture['role'] = 'read-write'): RevioTenant {
  const client = revioClient(sandbox, index);
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
