// A JWT subject becomes the caller id that scopes idempotency records and names the caller in
// audit lines, so the mapping must be injective: two subjects never share a caller id.
import { describe, expect, it } from 'vitest';
import { callerFromClaims, callerIdOfSubject, MAX_SUBJECT_LENGTH } from '../../../src/callers/caller-from-claims.js';

const mapping = { tenantsClaim: 'interlink_tenants', trustedDocumentsOnly: false };
const keyIdOf = (sub: string) => callerFromClaims({ sub }, mapping, []).keyId;

describe('callerFromClaims: the caller id of a subject', () => {
  it('keeps a subject up to the bound as it is', () => {
    const bound = 's'.repeat(MAX_SUBJECT_LENGTH);
    expect(keyIdOf('billing-sync')).toBe('jwt:billing-sync');
    expect(keyIdOf(bound)).toBe(`jwt:${bound}`);
  });

  it('keeps two long subjects that share their first 128 characters distinct (they were one caller)', () => {
    const head = 'spiffe://cluster.local/ns/billing/sa/'.padEnd(MAX_SUBJECT_LENGTH, 'x');
    const a = keyIdOf(`${head}-service-a`);
    const b = keyIdOf(`${head}-service-b`);
    expect(a).not.toBe(b);
    // Bounded for logs, and the same subject always gives the same id.
    expect(a.length).toBeLessThanOrEqual(4 + 96 + 1 + 64);
    expect(keyIdOf(`${head}-service-a`)).toBe(a);
  });

  it('gives a long subject an id that no short subject can spell', () => {
    const long = 'y'.repeat(MAX_SUBJECT_LENGTH + 1);
    const id = callerIdOfSubject(long);
    // A subject of at most the bound maps to itself, so it would have to be this id minus "jwt:".
    expect(id.length - 'jwt:'.length).toBeGreaterThan(MAX_SUBJECT_LENGTH);
    expect(id).not.toBe(callerIdOfSubject('y'.repeat(MAX_SUBJECT_LENGTH)));
  });

  it('distinguishes subjects that differ only past the bound, at every length from the bound up', () => {
    const ids = new Set<string>();
    for (let extra = 0; extra < 40; extra += 1) ids.add(callerIdOfSubject('z'.repeat(MAX_SUBJECT_LENGTH - 5 + extra)));
    expect(ids.size).toBe(40);
  });
});
