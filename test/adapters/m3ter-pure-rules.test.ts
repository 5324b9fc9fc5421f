// The client's pure rules, without a server: the 429 backoff.
import { describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../../src/upstreams/classification.js';
import { classifyM3ter } from '../../src/upstreams/m3ter/classify.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/upstreams/retry-policy.js';
import type { CallState } from '../../src/upstreams/upstream-call.js';

describe('m3ter 429 backoff', () => {
  const response = (status: number, attempt: number): UpstreamResponse => ({ status, headers: {}, body: { message: 'x' }, method: 'GET', attempt });
  const state = { method: 'GET', idempotent: false, deadlineAt: Number.POSITIVE_INFINITY, deadlineExceeded: false } as CallState;
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 5 };
  const waitAfter = (attempt: number, random: () => number) =>
    retryDelay(policy, { attempt: { failure: classifyM3ter(response(429, attempt))!, byVendor: true }, state, attemptCount: attempt, now: 0, random });

  it('waits from 1 s, doubling per attempt, with up to 250 ms of jitter', () => {
    expect([1, 2, 3].map((attempt) => waitAfter(attempt, () => 0))).toEqual([1000, 2000, 4000]);
    expect([1, 2].map((attempt) => waitAfter(attempt, () => 0.999))).toEqual([1250, 2250]);
  });
});
