/**
 * The sandbox's notion of "now". Tests advance it to expire tokens and idempotency records
 * without sleeping; it never runs backwards.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance() takes a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
