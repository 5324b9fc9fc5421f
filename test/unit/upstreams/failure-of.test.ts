import { RequestError } from 'got';
import { describe, expect, it } from 'vitest';
import { failureOf, isBareTransportError } from '../../../src/upstreams/failure-of.js';
import { RETRY_ERROR_CODES } from '../../../src/upstreams/http.js';

const bare = (code: string) => Object.assign(new Error(`socket: ${code}`), { code });

describe('failureOf: a bare connection error', () => {
  it("takes Node's own connection errors outside got's RequestError as the vendor's transport failing, retryable", () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION']) {
      expect(isBareTransportError(bare(code))).toBe(true);
      expect(failureOf(bare(code), RETRY_ERROR_CODES)).toEqual({ failure: { kind: 'unavailable', retryable: true }, byVendor: true });
    }
  });

  it('leaves any other error a bug of ours (not retried, not the vendor)', () => {
    expect(isBareTransportError(new TypeError('x is undefined'))).toBe(false);
    expect(isBareTransportError(bare('ERR_INVALID_ARG_TYPE'))).toBe(false);
    expect(isBareTransportError(new RequestError('wrapped', bare('ECONNREFUSED'), undefined as never))).toBe(false);
    expect(failureOf(new TypeError('x is undefined'), RETRY_ERROR_CODES)).toEqual({ failure: { kind: 'unavailable', retryable: false }, byVendor: false });
  });
});
