/**
 * One circuit breaker per (vendor, tenant), with cockatiel: after `failures` calls in a row fail
 * the way a vendor that is down fails (no answer, a timeout, a 5xx after retries), the tenant's
 * calls fail at once for `halfOpenAfterMs` with UPSTREAM_UNAVAILABLE (retryable, with the wait
 * until the next probe as `retryAfterMs`) instead of each waiting out its own timeouts; then one
 * call goes through, and its outcome closes or re-opens the circuit. A 4xx, a 429 or a refusal of
 * our input says the vendor is up, so it never opens the circuit. The tenant is the call's
 * `circuit` key when it has one (Zuora: the credential, whose entities share one instance).
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { UpstreamError, UpstreamUnavailableError } from '../errors.js';
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
  /** Whether the tenant's circuit is open now (readiness, metrics). */
  isOpen(tenant: string): boolean;
}

/** The failures of a vendor that is down or overloaded past its limits, as opposed to one answering. */
export function isOutage(error: unknown): boolean {
  return error instanceof UpstreamError && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT');
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
  return {
    async run(tenant, operation, call) {
      const circuit = circuitOf(tenant);
      try {
        return await circuit.policy.execute(call);
      } catch (error) {
        if (!(error instanceof BrokenCircuitError)) throw error;
        const retryAfterMs = Math.max(1, circuit.openedAt + options.halfOpenAfterMs - Date.now());
        throw new UpstreamUnavailableError({ vendor, operation, retryable: true, retryAfterMs, vendorCode: 'CIRCUIT_OPEN', attempts: 0 });
      }
    },
    isOpen: (tenant) => {
      const state = circuits.get(tenant)?.policy.state;
      return state === CircuitState.Open || state === CircuitState.HalfOpen;
    },
  };
}
