/**
 * Create without an idempotency key: m3ter's POST takes none, so after a
 * failure that may have been applied (no answer, a timeout, a 5xx, a 429) the adapter first
 * searches the m3ter object's mappings (`GET …/external/{entity}/{m3terId}`) for the same five identity fields, and re-POSTs
 * only when none matches. m3ter refuses an exact duplicate, so a match is the mapping our
 * earlier attempt created, or one that already existed. Only the first is ours: a match whose id
 * was there before the first attempt (`before`) is never adopted (a compensation would delete
 * it), and since m3ter holds one such mapping, the create made nothing and says so
 * (ExistedBeforeError, BAD_USER_INPUT, as m3ter's own duplicate refusal).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExistedBeforeError, UpstreamError } from '../../errors.js';
import type { ExistedBefore } from '../../lib/existed-before.js';
import type { RetryPolicy } from '../retry-policy.js';
import type { M3terMapping, M3terMappingCreate } from './m3ter-types.js';
import { retryWaitMs } from './retry-wait.js';

export interface SafeCreateSteps {
  /** One POST, no retries of its own, within `deadlineMs`. */
  post(deadlineMs: number): Promise<M3terMapping>;
  /** The mapping with the same five fields, if any; throws when the search itself fails. */
  findSame(deadlineMs: number): Promise<M3terMapping | undefined>;
  /** The ids of the mappings like this one before the first attempt: never adopted. */
  before: ExistedBefore;
  policy: RetryPolicy;
  /** The whole create: every POST and search. */
  deadlineMs: number;
  /** A search always gets at least this long, even past the deadline: knowing beats guessing. */
  attemptMs: number;
  random: () => number;
  now: () => number;
}

export async function createMappingSafely(steps: SafeCreateSteps): Promise<M3terMapping> {
  const { policy, now } = steps;
  const deadlineAt = now() + steps.deadlineMs;
  for (let attempt = 1; ; attempt += 1) {
    let failure: UpstreamError;
    try {
      return await steps.post(deadlineAt - now());
    } catch (error) {
      // A 400, 403 or 404 was refused before anything was stored: nothing to reconcile.
      if (!(error instanceof UpstreamError) || !error.retryable) throw error;
      failure = error;
    }
    let found: M3terMapping | undefined;
    try {
      found = await steps.findSame(Math.max(deadlineAt - now(), steps.attemptMs));
    } catch {
      // Unknown whether the POST landed: report its failure (retryable), never POST blind.
      throw failure;
    }
    if (found !== undefined) {
      if (steps.before.adopt([found.id]) === found.id) return found;
      throw new ExistedBeforeError(
        `An m3ter mapping with the same m3terEntity, m3terId, externalSystem, externalTable and externalId (${found.id}) is not one this create can prove it made: it existed before the first attempt${steps.before.ids === undefined ? ' as far as anyone can tell (no reading from before it survives)' : ''}. m3ter holds one such mapping, so nothing was created`,
      );
    }
    if (attempt >= policy.maxAttempts) throw failure;
    const wait = retryWaitMs(policy, attempt, failure, steps.random);
    if (wait === undefined || now() + wait >= deadlineAt) throw failure;
    await sleep(wait);
  }
}

/** The five fields m3ter compares for duplicates: exact and case-sensitive. */
export function sameIdentity(mapping: M3terMapping, request: M3terMappingCreate): boolean {
  return (
    mapping.m3terEntity === request.m3terEntity &&
    mapping.m3terId === request.m3terId &&
    mapping.externalSystem === request.externalSystem &&
    mapping.externalTable === request.externalTable &&
    mapping.externalId === request.externalId
  );
}
