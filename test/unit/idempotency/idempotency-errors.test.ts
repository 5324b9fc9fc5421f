import { describe, expect, it } from 'vitest';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, ReplayTargetGoneError } from '../../../src/errors.js';
import { formatError } from '../../../src/format-error.js';

describe('idempotency errors at the masking boundary', () => {
  it('passes IDEMPOTENCY_KEY_REUSED on with its message', () => {
    expect(formatError({ message: 'x' }, new IdempotencyKeyReusedError('used with a different input'))).toEqual({ message: 'used with a different input', extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('marks IDEMPOTENCY_IN_PROGRESS retryable', () => {
    expect(formatError({ message: 'x' }, new IdempotencyInProgressError('still running'))).toEqual({ message: 'still running', extensions: { code: 'IDEMPOTENCY_IN_PROGRESS', retryable: true } });
  });

  it('reports a replay whose object is gone as NOT_FOUND', () => {
    expect(formatError({ message: 'x' }, new ReplayTargetGoneError('deleted since')).extensions).toEqual({ code: 'NOT_FOUND' });
  });
});
