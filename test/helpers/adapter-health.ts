import type { VendorHealthOptions } from '../../src/upstreams/http.js';

/**
 * The adapter suites drive one client through many failures in a row to test its own retries
 * and recovery; the circuit breaker and the retry budget would rightly cut those short. They
 * have their own tests (test/unit/upstreams/resilience-policies.test.ts) and are on in every
 * gateway test.
 */
export const ADAPTER_HEALTH: VendorHealthOptions = { circuitBreaker: 'off', retryBudget: 'off' };
