/**
 * Marks the failures that mean "this call ran out of its own deadline, or its request ended"
 * (http.ts), apart from the vendor's own slowness. The deadline (the call's own, cut to its
 * request's) counts the call's wait in its tenant's limiter queue, where the request that made it
 * is served in turn with its other calls; a call whose request ended leaves that queue unsent. So
 * such a failure belongs to that call, and a read that shared it (in-flight-reads.ts) tries on
 * its own instead.
 */
const passed = new WeakSet<Error>();

/** `error`, marked as the end of its call's own deadline. */
export function deadlinePassed<E extends Error>(error: E): E {
  passed.add(error);
  return error;
}

export function passedItsDeadline(error: unknown): boolean {
  return error instanceof Error && passed.has(error);
}
