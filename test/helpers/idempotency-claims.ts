/** What the idempotency store tests share: a ref, a lease, a clock they move, and a claim's token. */
import type { Claim, LinkWriteRef } from '../../src/idempotency/idempotency-store.js';

export const REF: LinkWriteRef = { vendor: 'revio', tenant: 'acmetel', linkId: '34' };
export const LEASE = 1000;

export function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

export function tokenOf(claim: Claim): string {
  if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${claim.status}`);
  return claim.token;
}
