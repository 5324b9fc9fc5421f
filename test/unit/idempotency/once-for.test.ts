import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import type { Caller } from '../../../src/callers/caller.js';
import { createMemoryIdempotencyStore } from '../../../src/idempotency/memory-idempotency-store.js';
import { canonicalJson, onceFor, type OnceScope } from '../../../src/idempotency/once-for.js';
import { idempotencyKeyFor } from '../../../src/upstreams/zuora/idempotency-key.js';

const store = createMemoryIdempotencyStore();
const caller = (keyId: string) => ({ caller: { keyId } as Caller, idempotency: store });
const scope: OnceScope = { vendor: 'revio', tenant: 'acmetel', operation: 'createExternalLink', clientMutationId: 'm-1', input: { a: 1, b: 'x' } };

describe('onceFor', () => {
  it('has no key without a clientMutationId', () => {
    expect(onceFor(caller('alpha'), { ...scope, clientMutationId: null })).toBeUndefined();
    expect(onceFor(caller('alpha'), { ...scope, clientMutationId: undefined })).toBeUndefined();
  });

  it('refuses an empty clientMutationId (one key for every client that sends "" for none)', () => {
    for (const empty of ['', '   ']) {
      expect(() => onceFor(caller('alpha'), { ...scope, clientMutationId: empty })).toThrow(BadUserInputError);
      expect(() => onceFor(caller('alpha'), { ...scope, clientMutationId: empty })).toThrow(/clientMutationId must not be empty/);
    }
  });

  it('scopes the key by caller, tenant, vendor and operation', () => {
    const anonymous = { idempotency: store };
    const key = (context: Parameters<typeof onceFor>[0], change: Partial<OnceScope> = {}) => onceFor(context, { ...scope, ...change })!.key;
    const base = key(caller('alpha'));
    expect(key(caller('alpha'))).toBe(base);
    expect(key(caller('alpha'), { tenant: 'ACMETEL' })).toBe(base);
    for (const other of [key(caller('beta')), key(anonymous), key(caller('alpha'), { tenant: 'globex' }), key(caller('alpha'), { operation: 'updateExternalLink' }), key(caller('alpha'), { vendor: 'm3ter' })]) {
      expect(other).not.toBe(base);
    }
  });

  it('fingerprints the input whatever its key order, and without undefined fields', () => {
    const a = onceFor(caller('alpha'), { ...scope, input: { a: 1, b: 'x', c: undefined } })!;
    const b = onceFor(caller('alpha'), { ...scope, input: { b: 'x', a: 1 } })!;
    const c = onceFor(caller('alpha'), { ...scope, input: { a: 2, b: 'x' } })!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(canonicalJson({ z: [1, { y: null, x: 'a' }], a: true })).toBe('{"a":true,"z":[1,{"x":"a","y":null}]}');
  });

  it("uses the context's store", () => {
    expect(onceFor(caller('alpha'), scope)!.store).toBe(store);
  });
});

describe('Zuora Idempotency-Key', () => {
  const parts = { clientId: 'client', entityId: 'd66b5d5b-5199-b263-3bfc-50a9e1f79213', operation: 'initiateConnection', clientMutationId: 'm-1' };

  it('is stable for one caller and differs between callers with the same clientMutationId', () => {
    expect(idempotencyKeyFor({ ...parts, callerKeyId: 'alpha' })).toBe(idempotencyKeyFor({ ...parts, callerKeyId: 'alpha' }));
    expect(idempotencyKeyFor({ ...parts, callerKeyId: 'alpha' })).not.toBe(idempotencyKeyFor({ ...parts, callerKeyId: 'beta' }));
    expect(idempotencyKeyFor({ ...parts, callerKeyId: 'alpha' })).not.toBe(idempotencyKeyFor(parts));
    expect(idempotencyKeyFor({ ...parts, callerKeyId: 'alpha' })).toMatch(/^[0-9a-f]{64}$/);
  });
});
