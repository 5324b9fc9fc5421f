import { describe, expect, it } from 'vitest';
import type { Classifier, UpstreamFailure, UpstreamResponse } from '../../../src/upstreams/classification.js';
import { createUpstreamError } from '../../../src/upstreams/create-upstream-error.js';
import { classifyM3ter } from '../../../src/upstreams/m3ter/classify.js';
import { classifyRevio } from '../../../src/upstreams/revio/classify.js';
import { classifyZuora } from '../../../src/upstreams/zuora/classify.js';

type Row = [label: string, response: Partial<UpstreamResponse>, expected: (Partial<UpstreamFailure> & { code: string }) | 'ok'];

const zuoraFailure = (...codes: (number | string)[]) => ({ success: false, processId: 'ABCDEF0123456789', reasons: codes.map((code) => ({ code, message: 'x' })) });

const ZUORA: Row[] = [
  ['200 success', { status: 200, body: { success: true } }, 'ok'],
  ['401 after its refresh', { status: 401, body: { message: 'Authentication error' } }, { code: 'UPSTREAM_AUTH_FAILED', retryable: false }],
  ['409 replay of a success', { status: 409, method: 'POST', body: { success: true, id: 'x' } }, 'ok'],
  ['409 still in flight (category 50)', { status: 409, method: 'POST', body: zuoraFailure(50000050) }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true, minDelayMs: 1000 }],
  ['409 with a non-JSON body', { status: 409, method: 'POST', body: '<html>' }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true, minDelayMs: 1000 }],
  ['409 replay of a failure (category 30)', { status: 409, method: 'POST', body: zuoraFailure(50000030) }, { code: 'CONFLICT', retryable: false, vendorCode: '50000030' }],
  ['422 key reused', { status: 422, method: 'POST', body: zuoraFailure(50000020) }, { code: 'INTERNAL_SERVER_ERROR', retryable: false }],
  ['429 limit', { status: 429, body: zuoraFailure(90000070) }, { code: 'UPSTREAM_RATE_LIMITED', retryable: true, vendorCode: '90000070' }],
  ['500 fault', { status: 500, body: { message: 'x' } }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['502 fault', { status: 502, body: '' }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['503 fault', { status: 503, body: '' }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['504 fault', { status: 504, body: '' }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['400 legacy-header clash (category 20)', { status: 400, body: zuoraFailure(90000020) }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['400 without envelope', { status: 400, body: '' }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['200 category 10: not the required admin', { status: 200, body: zuoraFailure(50000010) }, { code: 'FORBIDDEN', retryable: false, vendorCode: '50000010' }],
  ['200 category 11: authentication failed', { status: 200, body: zuoraFailure(90000011) }, { code: 'UPSTREAM_AUTH_FAILED', retryable: false }],
  ['200 category 20: bad value', { status: 200, body: zuoraFailure(50000020) }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['200 category 21: unknown field', { status: 200, body: zuoraFailure(50000021) }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['200 category 22: missing field', { status: 200, body: zuoraFailure(50000022) }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['200 category 27: bad query parameter', { status: 200, body: zuoraFailure(50000027) }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['200 category 30: state rule', { status: 200, body: zuoraFailure(50000030) }, { code: 'CONFLICT', retryable: false }],
  ['200 category 40: not found', { status: 200, body: zuoraFailure('50000040') }, { code: 'NOT_FOUND', retryable: false, vendorCode: '50000040' }],
  ['200 category 45: unsupported', { status: 200, body: zuoraFailure(50000045) }, { code: 'INTERNAL_SERVER_ERROR', retryable: false }],
  ['200 category 90: malformed JSON', { status: 200, body: zuoraFailure(50000090) }, { code: 'INTERNAL_SERVER_ERROR', retryable: false }],
  ['200 category 50: locking', { status: 200, body: zuoraFailure(50000050) }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['200 category 61: temporary', { status: 200, body: zuoraFailure(50000061) }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['200 category 70: limit', { status: 200, body: zuoraFailure(90000070) }, { code: 'UPSTREAM_RATE_LIMITED', retryable: true }],
  ['200 category 60: one retry', { status: 200, body: zuoraFailure(50000060) }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true, maxAttempts: 2 }],
  ['200 category 99: one retry', { status: 200, body: zuoraFailure(50000099) }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true, maxAttempts: 2 }],
  ['200 mixed 50 and 40: any final reason wins', { status: 200, body: zuoraFailure(50000050, 50000040) }, { code: 'NOT_FOUND', retryable: false, vendorCode: '50000040' }],
];

const M3TER: Row[] = [
  ['200', { status: 200, body: { data: [] } }, 'ok'],
  ['401 after its refresh', { status: 401, body: { message: 'Unauthorized' } }, { code: 'FORBIDDEN', retryable: false }],
  ['403 after its refresh', { status: 403, body: { message: 'Forbidden' } }, { code: 'FORBIDDEN', retryable: false }],
  ['404', { status: 404, body: { message: 'x' } }, { code: 'NOT_FOUND', retryable: false }],
  ['400 validation', { status: 400, body: { message: 'x' } }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['409 never retried', { status: 409, body: { message: 'x' } }, { code: 'CONFLICT', retryable: false }],
  ['413 page too large', { status: 413, body: { message: 'x' } }, { code: 'INTERNAL_SERVER_ERROR', retryable: false }],
  ['429', { status: 429, body: { message: 'Too Many Requests' } }, { code: 'UPSTREAM_RATE_LIMITED', retryable: true, minDelayMs: 1000 }],
  ['500', { status: 500, body: { message: 'x' } }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['502', { status: 502, body: { message: 'x' } }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['504', { status: 504, body: { message: 'x' } }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['418 anything else', { status: 418, body: '' }, { code: 'INTERNAL_SERVER_ERROR', retryable: false }],
];

const REVIO: Row[] = [
  ['200', { status: 200, body: { ok: true, records: [] } }, 'ok'],
  ['201 create', { status: 201, method: 'POST', body: { ok: true, id: 1 } }, 'ok'],
  ['401 APIM key', { status: 401, body: { statusCode: 401, message: 'x' } }, { code: 'UPSTREAM_AUTH_FAILED', retryable: false }],
  ['401 Basic', { status: 401, body: { ok: false, message: 'x' } }, { code: 'UPSTREAM_AUTH_FAILED', retryable: false }],
  ['403 APIM quota', { status: 403, body: { statusCode: 403, message: 'Out of call volume quota' } }, { code: 'UPSTREAM_RATE_LIMITED', retryable: true, maxAttempts: 1, vendorCode: 'QUOTA_EXHAUSTED' }],
  ['403 role', { status: 403, body: { ok: false, message: 'x' } }, { code: 'FORBIDDEN', retryable: false }],
  ['400', { status: 400, body: { ok: false, message: 'x', errors: [{ field: 'f', message: 'm' }] } }, { code: 'BAD_USER_INPUT', retryable: false }],
  ['404', { status: 404, body: { ok: false, message: 'x' } }, { code: 'NOT_FOUND', retryable: false }],
  ['404 on a retried DELETE', { status: 404, method: 'DELETE', attempt: 2, body: { ok: false, message: 'x' } }, 'ok'],
  ['405', { status: 405, body: { ok: false, message: 'x' } }, { code: 'INTERNAL_SERVER_ERROR', retryable: false }],
  ['429 APIM rate', { status: 429, body: { statusCode: 429, message: 'x' } }, { code: 'UPSTREAM_RATE_LIMITED', retryable: true }],
  ['500', { status: 500, body: { ok: false, message: 'x' } }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
  ['503 without body', { status: 503, body: '' }, { code: 'UPSTREAM_UNAVAILABLE', retryable: true }],
];

function check(classify: Classifier, rows: Row[]): void {
  it.each(rows)('%s', (_label, partial, expected) => {
    const response: UpstreamResponse = { status: 200, headers: {}, body: '', method: 'GET', attempt: 1, ...partial };
    const failure = classify(response);
    if (expected === 'ok') {
      expect(failure).toBeUndefined();
      return;
    }
    expect(failure).toBeDefined();
    const { code, ...fields } = expected;
    expect(failure).toMatchObject(fields);
    const error = createUpstreamError(failure!.kind, { vendor: 'zuora', operation: 'op', retryable: failure!.retryable });
    expect(error.code).toBe(code);
  });
}

describe('Zuora classification', () => check(classifyZuora, ZUORA));
describe('m3ter classification', () => check(classifyM3ter, M3TER));
describe('Rev.io classification', () => check(classifyRevio, REVIO));
