/**
 * `withSandbox(options)`: one sandbox for the suite it is called in (a file, or a `describe`).
 *
 * It starts before the suite's own `beforeAll` hooks and closes after its own `afterAll` hooks
 * (vitest runs after-hooks in reverse order), so clients a suite opens in its hooks close before
 * the sandbox does. Before each test it goes back to the seed (data, no faults, empty ledger,
 * real time, every token forgotten) unless `reset: false`.
 *
 * The returned object is the running sandbox: its urls, credentials, ledger and controls
 * (faults, limits, clock, outages). Read it in hooks and tests only; it does not exist while
 * the file is being collected.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/index.js';

export interface WithSandboxOptions extends SandboxOptions {
  /**
   * Reset before each test. Default `true`; `false` for suites that keep something across tests
   * (tokens fetched once in `beforeAll`, records a later test reads).
   */
  reset?: boolean;
}

/** Defaults: `limits: 'off'` (most suites make many calls; limit suites ask for `'vendor'`), seed 42, size `small`. */
export function withSandbox(options: WithSandboxOptions = {}): Sandbox {
  const { reset = true, ...sandboxOptions } = options;
  let running: Sandbox | undefined;
  const current = (): Sandbox => {
    if (!running) throw new Error('withSandbox(): the sandbox runs only in the hooks and tests of the suite that declared it');
    return running;
  };

  beforeAll(async () => {
    running = await startSandbox({ limits: 'off', ...sandboxOptions });
  });
  if (reset) beforeEach(() => current().reset());
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });

  return {
    get urls() {
      return current().urls;
    },
    get ledger() {
      return current().ledger;
    },
    get fixtures() {
      return current().fixtures;
    },
    get credentials() {
      return current().credentials;
    },
    get tenants() {
      return current().tenants;
    },
    setFaults: (vendor, faults) => current().setFaults(vendor, faults),
    clearFaults: () => current().clearFaults(),
    setLimits: (vendor, limits) => current().setLimits(vendor, limits),
    advanceClock: (ms) => current().advanceClock(ms),
    reset: () => current().reset(),
    refuseConnections: (vendor, ms) => current().refuseConnections(vendor, ms),
    restart: () => current().restart(),
    close: () => current().close(),
  };
}
