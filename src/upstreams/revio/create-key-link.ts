/**
 * `POST /v1/IntegrationKeyLink` made safe to repeat. Rev.io takes no
 * idempotency key and allows duplicate links, so a POST whose fate is unknown (no answer, a
 * timeout, a 5xx) is never simply sent again: first a search by all four fields looks for the
 * link it may have made, and only if none is there does the POST go again. A 429 comes from the
 * API gateway before the request reaches Rev.io, so it is repeated without a search. A link the
 * search finds that was there before the first attempt (`before`) is never taken for ours: its
 * caller could otherwise report it as written and a compensation delete it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError } from '../../errors.js';
import type { ExistedBefore } from '../../lib/existed-before.js';
import type { RetryPolicy } from '../retry-policy.js';
import type { KeyLinkRecord, KeyLinkWrite } from './key-link-search.js';

export interface CreatedKeyLink {
  id: number;
  /** True when an earlier, unanswered POST turned out to have made the link. */
  recovered: boolean;
}

export interface CreateKeyLinkSteps {
  /** One POST, never retried inside; resolves to the new id from the body. */
  post(body: KeyLinkWrite, deadlineMs: number): Promise<number>;
  /** Links matching all four fields, `external_id` case-sensitively. */
  find(body: KeyLinkWrite, deadlineMs: number): Promise<KeyLinkRecord[]>;
  /** The ids of the links like this one before the first attempt: never adopted. */
  before: ExistedBefore;
  policy: RetryPolicy;
  /** Budget for the whole create, searches and waits included. */
  deadlineMs: number;
  random: () => number;
}

export async function createKeyLinkSafely(body: KeyLinkWrite, steps: CreateKeyLinkSteps): Promise<CreatedKeyLink> {
  const { policy } = steps;
  const deadlineAt = Date.now() + steps.deadlineMs;
  let mayHaveApplied = false;
  for (let attempt = 1; ; attempt += 1) {
    let failure: UpstreamError;
    try {
      return { id: await steps.post(body, remaining(deadlineAt)), recovered: false };
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      failure = error;
    }
    const outcome = outcomeOf(failure);
    if (outcome === 'final') throw failure;
    // Once one POST went unanswered it may still land, so every later attempt looks first.
    mayHaveApplied ||= outcome === 'unknown';
    // Also after the last attempt: settling an unknown outcome spares the caller a duplicate.
    if (mayHaveApplied) {
      const found = await steps.find(body, remaining(deadlineAt)).catch(() => undefined);
      // The search failed too: the outcome stays unknown, and the POST's failure says so (retryable).
      if (found === undefined) throw failure;
      const ours = steps.before.adopt(keyLinkIdsNewestFirst(found));
      if (ours !== undefined) return { id: Number(ours), recovered: true };
    }
    if (attempt >= policy.maxAttempts) throw failure;
    const delay = delayBefore(attempt, failure, policy, steps.random);
    if (delay === undefined || Date.now() + delay >= deadlineAt) throw failure;
    await sleep(delay);
  }
}

/** Rev.io allows duplicate links, so several may match a write: newest first, the order ExistedBefore.adopt takes. */
export function keyLinkIdsNewestFirst(found: readonly KeyLinkRecord[]): string[] {
  return found.map((link) => Number(link.integration_key_link_id)).sort((a, b) => b - a).map(String);
}

/** `unknown`: Rev.io may have made the link; `not-applied`: it surely did not; `final`: do not repeat. */
function outcomeOf(error: UpstreamError): 'unknown' | 'not-applied' | 'final' {
  if (!error.retryable) return 'final';
  if (error.status === 429) return 'not-applied';
  if (error.status === undefined || error.status >= 500) return 'unknown';
  // E.g. the quota 403: retryable only after hours, never within the call.
  return 'final';
}

/** The policy's backoff, or `Retry-After` when sent; `undefined` when that is too long to wait here. */
function delayBefore(attempt: number, error: UpstreamError, policy: RetryPolicy, random: () => number): number | undefined {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : Math.max(1, error.retryAfterMs);
  const backoff = Math.min(policy.backoffBaseMs * 2 ** (attempt - 1), policy.backoffLimitMs);
  return Math.round(backoff + random() * policy.noiseMs);
}

function remaining(deadlineAt: number): number {
  return Math.max(1, deadlineAt - Date.now());
}
