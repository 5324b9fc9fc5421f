// The client's pure rules, without a server: id chunking and the 429 backoff.
import { describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../../src/upstreams/classification.js';
import { chunkM3terIds, M3TER_ID_QUERY_CHARS, M3TER_IDS_PER_REQUEST } from '../../src/upstreams/m3ter/chunk-m3ter-ids.js';
import { classifyM3ter } from '../../src/upstreams/m3ter/classify.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/upstreams/retry-policy.js';
import type { CallState } from '../../src/upstreams/upstream-call.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const queryLength = (ids: string[]) => ids.map((id) => `m3terIds=${encodeURIComponent(id)}&`).join('').length;

describe('m3ter id chunking', () => {
  it('fits 86 UUIDs in a request and starts a new one after', () => {
    const chunks = chunkM3terIds(Array.from({ length: 200 }, (_, i) => uuid(i)));
    expect(chunks.map((chunk) => chunk.length)).toEqual([86, 86, 28]);
    for (const chunk of chunks) expect(queryLength(chunk)).toBeLessThanOrEqual(M3TER_ID_QUERY_CHARS);
  });

  it('caps a request at 200 ids however short they are', () => {
    const chunks = chunkM3terIds(Array.from({ length: 450 }, (_, i) => String(i)));
    expect(chunks.map((chunk) => chunk.length)).toEqual([M3TER_IDS_PER_REQUEST, M3TER_IDS_PER_REQUEST, 50]);
  });

  it('counts percent-encoding against the budget', () => {
    // 300 × "%C3%BC" = 1,800 characters each: two fit in 4,000, a third does not.
    const chunks = chunkM3terIds(['ü'.repeat(300), `a${'ü'.repeat(300)}`, `b${'ü'.repeat(300)}`]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 1]);
    for (const chunk of chunks) expect(queryLength(chunk)).toBeLessThanOrEqual(M3TER_ID_QUERY_CHARS);
  });

  it('gives an id longer than the budget a request of its own', () => {
    const long = 'x'.repeat(M3TER_ID_QUERY_CHARS + 10);
    expect(chunkM3terIds(['a', long, 'b'])).toEqual([['a'], [long], ['b']]);
  });

  it('drops duplicates and empty ids, keeping first-seen order', () => {
    expect(chunkM3terIds(['b', 'a', '', 'b', 'c', 'a'])).toEqual([['b', 'a', 'c']]);
    expect(chunkM3terIds([])).toEqual([]);
    expect(chunkM3terIds([''])).toEqual([]);
  });
});

describe('m3ter 429 backoff', () => {
  const response = (status: number, attempt: number): UpstreamResponse => ({ status, headers: {}, body: { message: 'x' }, method: 'GET', attempt });
  const state = { method: 'GET', idempotent: false, deadlineAt: Number.POSITIVE_INFINITY, deadlineExceeded: false } as CallState;
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 5 };
  const waitAfter = (attempt: number, random: () => number) =>
    retryDelay(policy, { attempt: { failure: classifyM3ter(response(429, attempt))! }, state, attemptCount: attempt, now: 0, random });

  it('waits from 1 s, doubling per attempt, with up to 250 ms of jitter', () => {
    expect([1, 2, 3].map((attempt) => waitAfter(attempt, () => 0))).toEqual([1000, 2000, 4000]);
    expect([1, 2].map((attempt) => waitAfter(attempt, () => 0.999))).toEqual([1250, 2250]);
  });
});
