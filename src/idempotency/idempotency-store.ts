/**
 * Where the gateway keeps what each `clientMutationId` did, for vendors without an idempotency
 * key of their own (m3ter, Rev.io) and in front of Zuora's. Every operation is one atomic step
 * on one record, and async, so a shared store (Redis: `SET NX PX` for a claim, a script for the
 * rest) can replace the in-memory default without changing a caller.
 *
 * A record holds a reference to the vendor object the write made or changed, never the GraphQL
 * answer: a replay reads the object back from the vendor, so it shows what is stored now.
 */

import type { Vendor } from '../upstreams/vendor.js';

/**
 * A link of any link provider (registry rows with a `linkProvider`): `vendor` is the row's name,
 * `tenant` the tenant the link lives in (m3ter org id, Rev.io client code), `linkId` the
 * provider's own id. `deleted`: the write deleted it.
 */
export interface LinkWriteRef {
  vendor: Exclude<Vendor, 'zuora'>;
  tenant: string;
  linkId: string;
  deleted?: true;
}

/**
 * Which vendor object a write made, changed or deleted; enough to read it back. JSON only. A
 * record written before link refs were generic is read through `writeRefFromStored`.
 */
export type WriteRef =
  /** `listedBy`: the entity whose connection list holds it; `viewpointEntityId`: whose direction the answer shows. */
  | { vendor: 'zuora'; connectionId: string; listedBy: string; viewpointEntityId: string | null }
  | LinkWriteRef;

export type Claim =
  /**
   * This request owns the write until it completes or releases. `reconcile`: an earlier attempt
   * may have been applied (its outcome was unknown, or its lease ran out), so read the vendor
   * before writing.
   */
  | {
      status: 'claimed';
      token: string;
      reconcile: boolean;
      /**
       * A record claimed again (reconcile): the create's reading from before its first attempt,
       * the ids of the objects like it that existed then (src/lib/existed-before.ts), as
       * `keepBefore` (or `markUnknown`) kept it. Absent when none was kept (a record written by
       * an earlier version, or an owner that died before its reading).
       */
      before?: readonly string[];
    }
  /** Done before: the same answer, read back through `ref`. */
  | { status: 'done'; ref: WriteRef }
  /** Another request with the same key is writing now. */
  | { status: 'in-progress' }
  /** The key was first used with a different input. */
  | { status: 'reused' };

export interface IdempotencyStore {
  /**
   * Atomically: a new record (in progress, leased to the returned token for `leaseMs`), or what
   * the existing one says. An expired lease or an unknown outcome is claimed again, with
   * `reconcile: true`.
   */
  claim(key: string, fingerprint: string, leaseMs: number): Promise<Claim>;
  /**
   * Keeps a create's reading from before its first attempt on the record while the write runs, so
   * a claim that takes the record over (its owner died mid-write) still knows what existed before.
   * Ignored unless `token` still holds the lease.
   */
  keepBefore(key: string, token: string, before: readonly string[]): Promise<void>;
  /** The write is done and `ref` names its object. Ignored unless `token` still holds the lease. */
  complete(key: string, token: string, ref: WriteRef): Promise<void>;
  /**
   * The write may or may not have been applied: the next claim must reconcile. `before`: a
   * create's reading from before its first attempt, answered to that claim (see `Claim`).
   */
  markUnknown(key: string, token: string, before?: readonly string[]): Promise<void>;
  /** Nothing was applied (the vendor refused before storing): the key is free again. */
  release(key: string, token: string): Promise<void>;
}
