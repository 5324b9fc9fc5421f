/**
 * One circuit breaker per (vendor, tenant), with cockatiel: after `failures` calls in a row fail
 * the way a vendor that is down fails (no answer, a timeout, a 5xx after retries), the tenant's
 * calls fail at once for `halfOpenAfterMs` with UPSTREAM_UNAVAILABLE (retryable, with the wait
 * until the next probe as `retryAfterMs`) instead of each waiting out its own timeouts; then one
 * call goes through, and its outcome closes or re-opens the circuit. A 4xx, a 429 or a refusal of
 * our input says the vendor is up, so it never opens the circuit. The tenant is the call's
 * `circuit` key when it has one (Zuora: the credential, whose entities share one instance).
 *
 * The circuit judges the vendor on the vendor's answers only. http.ts runs a call under its
 * circuit from the moment it leaves the tenant's limiter queue, so a call that ran out of time
 * waiting for its turn, or was refused by its request's budget, never reaches the circuit; and a
 * call the gateway cut short itself (its deadline or its request's, before an answer that found
 * the vendor down) fails with `UpstreamAbandonedError`, which `isOutage` does not count.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { UpstreamAbandonedError, UpstreamTimeoutError, UpstreamUnavailableError } from '../errors.js';
import type { Vendor } from './vendor.js';

export interface CircuitBreakerOptions {
  /** Calls failing in a row that open the circuit (default 5). */
  failures: number;
  /** How long an open circuit fails fast before one call may probe (default 2 s). */
  halfOpenAfterMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: Readonly<CircuitBreakerOptions> = { failures: 5, halfOpenAfterMs: 2_000 };

export interface CircuitBreakers {
  /** Runs one call under the tenant's circuit. */
  run<T>(tenant: string, operation: string, call: () => Promise<T>): Promise<T>;
  /**
   * Throws the circuit-open error while the tenant's circuit is open and its wait has not run
   * out, so a call fails before it queues for a turn it would only spend failing. A half-open
   * circuit lets calls queue: the first to run is the probe.
   */
  refuseWhileOpen(tenant: string, operation: string): void;
  /** Whether the tenant's circuit is open now (readiness, metrics). */
  isOpen(tenant: string): boolean;
}

/**
 * The failures of a vendor that is down or overloaded past its limits, as opposed to one
 * answering, or to a call the gateway ended itself (`UpstreamAbandonedError`: by class, so no
 * code a vendor answer can produce makes it count).
 */
export function isOutage(error: unknown): boolean {
  if (error instanceof UpstreamAbandonedError) return false;
  return error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError;
}

export function createCircuitBreakers(vendor: Vendor, options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER): CircuitBreakers {
  const circuits = new Map<string, { policy: CircuitBreakerPolicy; openedAt: number }>();
  const circuitOf = (tenant: string) => {
    let circuit = circuits.get(tenant);
    if (circuit === undefined) {
      const policy = circuitBreaker(handleWhen(isOutage), { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failures) });
      const entry = { policy, openedAt: 0 };
      policy.onBreak(() => {
        entry.openedAt = Date.now();
      });
      // One circuit per configured tenant: a bounded set, never evicted.
      circuits.set(tenant, entry);
      circuit = entry;
    }
    return circuit;
  };
  const circuitOpen = (circuit: { openedAt: number }, operation: string) => {
    const retryAfterMs = Math.max(1, circuit.openedAt + options.halfOpenAfterMs - Date.now());
    return new UpstreamUnavailableError({ vendor, operation, retryable: true, retryAfterMs, vendorCode: 'CIRCUIT_OPEN', attempts: 0 });
  };
  return {
    async run(tenant, operation, call) {
      const circuit = circuitOf(tenant);
      try {
        return await circuit.policy.execute(call);
      } catch (error) {
        if (!(error instanceof BrokenCircuitError)) throw error;
        throw circuitOpen(circuit, operation);
      }
    },
    refuseWhileOpen(tenant, operation) {
      const circuit = circuits.get(tenant);
      if (circuit === undefined || circuit.policy.state !== CircuitState.Open) return;
      if (Date.now() - circuit.openedAt < options.halfOpenAfterMs) throw circuitOpen(circuit, operation);
    },
    isOpen: (tenant) => {
      const state = circuits.get(tenant)?.policy.state;
      return state === CircuitState.Open || state === CircuitState.HalfOpen;
    },
  };
}
