import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../../src/callers/api-key-record.js';
import { authenticateCaller } from '../../../src/callers/authenticate-caller.js';
import { developmentApiKey } from '../../../src/callers/development-api-key.js';
import { hashApiKey } from '../../../src/callers/hash-api-key.js';
import { requireScope } from '../../../src/callers/require-scope.js';
import { ForbiddenError, UnauthenticatedError } from '../../../src/errors.js';

const READER_KEY = 'reader-0123456789abcdefghijklmnopqrstuvwxyz';
const WRITER_KEY = 'writer-0123456789abcdefghijklmnopqrstuvwxyz';
const TENANTS = { zuora: ['8a808255-55a3-c7a1-0155-b460f53858e6'], m3ter: [], revio: ['ACME'] };
const KEYS: ApiKeyRecord[] = [
  { id: 'reader', hash: hashApiKey(READER_KEY), scopes: ['read'], tenants: TENANTS },
  { id: 'writer', hash: hashApiKey(WRITER_KEY), scopes: ['read', 'write'], tenants: TENANTS },
];

function refusal(run: () => unknown): UnauthenticatedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as UnauthenticatedError).code).toBe('UNAUTHENTICATED');
    return error as UnauthenticatedError;
  }
  throw new Error('expected UnauthenticatedError');
}

describe('authenticateCaller', () => {
  it('finds the key from Authorization: Bearer, by hash', () => {
    expect(authenticateCaller({ authorization: `Bearer ${WRITER_KEY}` }, KEYS)).toEqual({ keyId: 'writer', scopes: ['read', 'write'], tenants: TENANTS });
  });

  it('accepts X-Api-Key, and a Map of headers as Apollo passes them', () => {
    expect(authenticateCaller({ 'x-api-key': READER_KEY }, KEYS).keyId).toBe('reader');
    expect(authenticateCaller(new Map([['authorization', `bearer ${READER_KEY}`]]), KEYS).keyId).toBe('reader');
  });

  it('refuses a missing key and says how to send one', () => {
    expect(refusal(() => authenticateCaller({}, KEYS)).message).toMatch(/Authorization: Bearer <API key>/);
  });

  it('refuses an unknown key without repeating it', () => {
    const error = refusal(() => authenticateCaller({ authorization: 'Bearer not-a-configured-key' }, KEYS));
    expect(error.message).toBe('The API key is not valid');
  });

  it('refuses other Authorization schemes, conflicting keys and oversized keys', () => {
    expect(refusal(() => authenticateCaller({ authorization: `Basic ${READER_KEY}` }, KEYS)).message).not.toContain(READER_KEY);
    expect(refusal(() => authenticateCaller({ authorization: `Bearer ${READER_KEY}`, 'x-api-key': WRITER_KEY }, KEYS)).message).toMatch(/different API keys/);
    refusal(() => authenticateCaller({ 'x-api-key': 'x'.repeat(513) }, KEYS));
  });

  it('refuses a key header sent twice with different values, seen in the raw header lines Node keeps only the first of', () => {
    const twice = ['Authorization', `Bearer ${WRITER_KEY}`, 'authorization', `Bearer ${READER_KEY}`];
    // `req.headers` holds the first Authorization only; the raw lines hold both.
    const error = refusal(() => authenticateCaller({ authorization: `Bearer ${WRITER_KEY}` }, KEYS, twice));
    expect(error.message).toMatch(/more than once/);
    expect(error.message).not.toContain(WRITER_KEY);
    refusal(() => authenticateCaller({ 'x-api-key': `${READER_KEY}, ${WRITER_KEY}` }, KEYS, ['X-Api-Key', READER_KEY, 'X-API-KEY', WRITER_KEY]));
    // The same value twice is one key.
    const same = ['authorization', `Bearer ${READER_KEY}`, 'Authorization', `Bearer ${READER_KEY}`];
    expect(authenticateCaller({ authorization: `Bearer ${READER_KEY}` }, KEYS, same).keyId).toBe('reader');
  });

  it('refuses everyone when no keys are configured', () => {
    refusal(() => authenticateCaller({ 'x-api-key': READER_KEY }, []));
  });
});

describe('requireScope', () => {
  it('lets a key with the scope through and refuses one without, naming key and scope', () => {
    const reader = authenticateCaller({ 'x-api-key': READER_KEY }, KEYS);
    expect(() => requireScope(reader, 'read')).not.toThrow();
    expect(() => requireScope(reader, 'write')).toThrow(ForbiddenError);
    expect(() => requireScope(reader, 'write')).toThrow('API key "reader" lacks the "write" scope this operation needs');
  });
});

describe('developmentApiKey', () => {
  it('makes a long random key with every scope whose record keeps only the hash', () => {
    const first = developmentApiKey(TENANTS);
    const second = developmentApiKey(TENANTS);
    expect(first.key).toMatch(/^ilk_dev_[A-Za-z0-9_-]{43}$/);
    expect(second.key).not.toBe(first.key);
    expect(first.record).toEqual({ id: 'development', hash: hashApiKey(first.key), scopes: ['read', 'write'], tenants: TENANTS });
    expect(JSON.stringify(first.record)).not.toContain(first.key);
    expect(authenticateCaller({ authorization: `Bearer ${first.key}` }, [first.record]).keyId).toBe('development');
  });
});
