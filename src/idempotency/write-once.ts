/**
 * One write under a `clientMutationId`: claim the key, then either write (reading the vendor
 * first when an earlier attempt's outcome is unknown) or answer a replay by reading the stored
 * object back. A duplicate that arrives while the first is in flight polls until it finishes,
 * for at most `waitMs`, then gets IDEMPOTENCY_IN_PROGRESS (retryable).
 *
 * Without a key (no `clientMutationId`) the write simply runs, with no store and no extra call
 * (a create still reads what exists before its first attempt: its own retries adopt only what
 * they made).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, IdempotencyInProgressError, IdempotencyKeyReusedError, UpstreamError } from '../errors.js';
import { ExistedBefore } from '../lib/existed-before.js';
import type { IdempotencyStore, WriteRef } from './idempotency-store.js';

export interface OnceKey {
  store: IdempotencyStore;
  /** The hashed scope: caller, vendor, tenant, operation and clientMutationId. */
  key: string;
  /** Hash of the parsed input without clientMutationId. */
  fingerprint: string;
  /** The operation, for messages. */
  operation: string;
}

export interface WriteOnceSteps<Result> {
  /** Absent without a clientMutationId. */
  once: OnceKey | undefined;
  /**
   * A create's reading before its first attempt: the ids of the objects like it that exist now.
   * Read after a new claim (a refused or replayed write makes no call), kept on the record at once
   * (and again when the outcome turns unknown), and handed to `reconcile` and `write` as the one way to adopt a found
   * object (src/lib/existed-before.ts). Absent for writes that adopt nothing.
   */
  existing?(): Promise<readonly string[]>;
  /** Reads the vendor for the effect of an earlier attempt; its ref, or `undefined` when there is none (then `write` runs). */
  reconcile(before: ExistedBefore): Promise<WriteRef | undefined>;
  /** The upstream write. `answer`: the stored object when the vendor's own answer is it (saves a read). */
  write(before: ExistedBefore): Promise<{ ref: WriteRef; answer?: Result }>;
  /** The object as stored now; throws NOT_FOUND when it is gone. */
  readBack(ref: WriteRef): Promise<Result>;
}

/**
 * A write whose record is claimed (or found done) and nothing written yet: a mutation with
 * several writes claims every one before it runs any, so an id reused with other input is
 * refused before any vendor write, whichever part tells.
 */
export interface ClaimedWrite<Result> {
  /** Writes (reconciling first when an earlier attempt's outcome is unknown), or reads a done write back. Once. */
  run(): Promise<Result>;
  /** Gives an unrun claim up: the record is as it was before the claim. No-op once run. */
  abandon(): Promise<void>;
}

/**
 * Longer than any one write can take (several vendor calls of at most the 20 s deadline each),
 * so a lease only runs out when its owner died; then the next claim reconciles first.
 */
export const LEASE_MS = 120_000;
/** How long a duplicate waits for the first: under the 30 s most clients give a request. */
export const WAIT_MS = 15_000;

export async function writeOnce<Result>(steps: WriteOnceSteps<Result>, waits: { waitMs?: number } = {}): Promise<Result> {
  return (await claimWrite(steps, waits)).run();
}

/** Claims the write's record (waiting out a duplicate in flight); throws IDEMPOTENCY_KEY_REUSED for other input. */
export async function claimWrite<Result>(steps: WriteOnceSteps<Result>, waits: { waitMs?: number } = {}): Promise<ClaimedWrite<Result>> {
  const { once } = steps;
  if (once === undefined) {
    return once_(async () => {
      const { ref, answer } = await steps.write(await readBefore(steps));
      return answer ?? steps.readBack(ref);
    });
  }
  const { store, key, fingerprint, operation } = once;
  const waitUntil = Date.now() + (waits.waitMs ?? WAIT_MS);
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const claim = await store.claim(key, fingerprint, LEASE_MS);
    switch (claim.status) {
      case 'reused':
        throw new IdempotencyKeyReusedError(`This clientMutationId was already used for ${operation} with a different input; send a new clientMutationId for a new change`);
      case 'done':
        return once_(() => steps.readBack(claim.ref));
      case 'in-progress':
        if (Date.now() + pause > waitUntil) {
          throw new IdempotencyInProgressError(`The first ${operation} with this clientMutationId is still in progress; retry shortly to get its result`);
        }
        await sleep(pause);
        continue;
      case 'claimed':
        return once_(
          async () => {
            let before: ExistedBefore;
            try {
              // Taken over: the first attempt's reading, as its record kept it; none kept proves nothing.
              if (claim.reconcile) before = claim.before !== undefined ? ExistedBefore.of(claim.before) : steps.existing ? ExistedBefore.unproven() : ExistedBefore.of([]);
              else {
                before = await readBefore(steps);
                // Kept now, not only when the outcome turns unknown: a claim that takes over from an
                // owner that died mid-write must still know what existed before.
                if (steps.existing !== undefined) await store.keepBefore(key, claim.token, before.ids ?? []);
              }
            } catch (error) {
              // Only a read so far: nothing written, the key is free again.
              await store.release(key, claim.token);
              throw error;
            }
            let written: { ref: WriteRef; answer?: Result };
            try {
              const found = claim.reconcile ? await steps.reconcile(before) : undefined;
              written = found === undefined ? await steps.write(before) : { ref: found };
            } catch (error) {
              if (mayHaveApplied(error)) await store.markUnknown(key, claim.token, before.ids);
              else await store.release(key, claim.token);
              throw error;
            }
            await store.complete(key, claim.token, written.ref);
            return written.answer ?? steps.readBack(written.ref);
          },
          // Back to how it was: a new record goes, one taken over for reconciling stays unknown.
          () => (claim.reconcile ? store.markUnknown(key, claim.token, claim.before) : store.release(key, claim.token)),
        );
    }
  }
}

/** A create's reading before its first attempt; nothing for a write that adopts nothing. */
async function readBefore<Result>(steps: WriteOnceSteps<Result>): Promise<ExistedBefore> {
  return ExistedBefore.of(steps.existing === undefined ? [] : await steps.existing());
}

/** `run` at most once; `abandon` only before it. */
function once_<Result>(run: () => Promise<Result>, abandon: () => Promise<void> = async () => undefined): ClaimedWrite<Result> {
  let state: 'claimed' | 'ran' | 'abandoned' = 'claimed';
  return {
    run() {
      if (state !== 'claimed') throw new Error(`a claimed write runs once and only while claimed, it is ${state}`);
      state = 'ran';
      return run();
    },
    async abandon() {
      if (state !== 'claimed') return;
      state = 'abandoned';
      await abandon();
    },
  };
}

/**
 * Whether a failed write may still have been applied: no answer, a timeout or a 5xx (after the
 * adapter's own reconciliation could not settle it). A refusal (4xx, a 429 that never reached
 * the vendor, our own checks) changed nothing, so the key is freed for the caller's retry.
 */
export function mayHaveApplied(error: unknown): boolean {
  if (error instanceof UpstreamError) return error.retryable && error.status !== 429 && (error.status === undefined || error.status >= 500);
  // Our own refusals happen before any call; anything else is a bug, and a bug might strike after the write.
  return !(error instanceof GatewayError);
}
