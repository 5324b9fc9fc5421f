// Shared by the m3ter adapter suites: a client per seeded org, inputs, and checks on errors.
import { expect } from 'vitest';
import type { M3terTenant } from '../../src/config.js';
import { UpstreamError } from '../../src/errors.js';
import { createM3terClient, type M3terClient, type M3terClientOptions } from '../../src/upstreams/m3ter/client.js';
import type { M3terMapping, M3terMappingCreate } from '../../src/upstreams/m3ter/m3ter-types.js';
import type { M3terMappingRecord, M3terOrgFixture } from '../../sandbox/fixtures/types.js';
import type { LedgerEntry, Sandbox } from '../../sandbox/index.js';
import { ADAPTER_HEALTH } from '../helpers/adapter-health.js';

export function orgOf(sandbox: Sandbox, index: number): M3terOrgFixture {
  const org = sandbox.fixtures.m3ter.orgs[index];
  if (!org) throw new Error(`the sandbox has no m3ter org #${index}`);
  return org;
}

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
  // These suites test the adapter's own retries; the circuit breaker and retry budget have theirs.
  return createM3terClient({ url: sandbox.urls.m3ter, tenant: tenantOf(orgOf(sandbox, index)), limits: { concurrency: 100 }, health: ADAPTER_HEALTH, ...overrides });
}

/** Retries without the production backoff, for tables of failures. */
export const FAST_RETRY = { backoffBaseMs: 5, backoffLimitMs: 10, noiseMs: 0 } as const;

/** A valid create for the seeded configuration, unique per `tag`. */
export function mappingInput(tag: string, overrides: Partial<M3terMappingCreate> = {}): M3terMappingCreate {
  return { m3terEntity: 'Account', m3terId: `acct-${tag}`, externalSystem: 'Salesforce', externalTable: 'Account', externalId: `001${tag}`, ...overrides };
}

/** The contract order: newest `dtCreated` first, then id. */
export function newestFirst(a: Pick<M3terMappingRecord, 'dtCreated' | 'id'>, b: Pick<M3terMappingRecord, 'dtCreated' | 'id'>): number {
  const byDate = Date.parse(b.dtCreated) - Date.parse(a.dtCreated);
  return byDate !== 0 ? byDate : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function idsOf(rows: readonly { id: string }[]): string[] {
  return rows.map((row) => row.id);
}

/** Fixture records as the wire shows them, for `toEqual` against client results. */
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

/** Ledger entries of one org's data calls since `mark`. */
export function orgCalls(sandbox: Sandbox, orgId: string, mark: number): LedgerEntry[] {
  return sandbox.ledger.list({ vendor: 'm3ter', sinceSeq: mark, path: `/organizations/${orgId}/` });
}

export function tokenCalls(sandbox: Sandbox, mark: number): LedgerEntry[] {
  return sandbox.ledger.list({ vendor: 'm3ter', sinceSeq: mark, path: '/oauth/token' });
}

/** Milliseconds between two ledger entries, by the sandbox clock. */
export function gapMs(earlier: LedgerEntry | undefined, later: LedgerEntry | undefined): number {
  if (!earlier || !later) throw new Error('missing ledger entry');
  return Date.parse(later.time) - Date.parse(earlier.time);
}
