import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule, Vendor } from '../../sandbox/index.js';
import { withGateway } from '../helpers/gateway.js';

const LEAKS = /127\.0\.0\.1|localhost|http:|Bearer|stack|at .*\.ts:/i;

/** One field per vendor: each is null alone when its vendor fails. */
const QUERY = `{
  zuora: entities { totalCount }
  m3ter: externalLinks(filter: { provider: M3TER }, first: 1) { nodes { provider } }
  revio: externalLinks(filter: { provider: REVIO }, first: 1) { nodes { provider } }
}`;

/** The path of each vendor's call behind its field (the Rev.io catalog is warm and not matched). */
const PATHS: Record<Vendor, string> = { zuora: '/v1/entities', m3ter: 'externalmappings', revio: 'IntegrationKeyLink' };
const VENDORS: Vendor[] = ['zuora', 'm3ter', 'revio'];

describe('partial results for every upstream error code', () => {
  const gateway = withGateway({ resilience: { attemptTimeoutMs: 200, deadlineMs: 400 } });
  beforeAll(async () => {
    // Short client timeouts so a hanging vendor fails fast: one 200 ms attempt, 400 ms in all.
    const warm = await gateway.execute(QUERY);
    expect(warm.errors).toBeUndefined();
  });

  async function expectOnly(vendor: Vendor, rule: FaultRule, code: string): Promise<number> {
    gateway.sandbox.setFaults(vendor, { rules: [{ ...rule, match: { path: PATHS[vendor] } }] });
    const mark = gateway.sandbox.ledger.mark;
    try {
      for (const result of [await gateway.execute(QUERY), (await gateway.post(QUERY)).body]) {
        for (const other of VENDORS) {
          if (other === vendor) expect(result.data![other], other).toBeNull();
          else expect(result.data![other], other).not.toBeNull();
        }
        expect(result.errors).toHaveLength(1);
        const error = result.errors![0]!;
        expect(error.path).toEqual([vendor]);
        expect(error.extensions).toMatchObject({ code, upstream: { vendor } });
        expect(error.extensions).not.toHaveProperty('stacktrace');
        expect(JSON.stringify(error)).not.toMatch(LEAKS);
      }
      return gateway.calls(mark, { vendor, path: PATHS[vendor] });
    } finally {
      gateway.sandbox.clearFaults();
    }
  }

  for (const vendor of VENDORS) {
    it(`answers UPSTREAM_TIMEOUT for the ${vendor} field alone when ${vendor} hangs`, async () => {
      await expectOnly(vendor, { kind: 'hang', hangMs: 1500 }, 'UPSTREAM_TIMEOUT');
    });

    it(`answers UPSTREAM_RATE_LIMITED at once for the ${vendor} field alone when Retry-After is past the 5 s cap`, async () => {
      const calls = await expectOnly(vendor, { kind: 'rate-limited', retryAfterS: 30 }, 'UPSTREAM_RATE_LIMITED');
      // One attempt per request (in process, then over HTTP): a 30 s wait is not retried inside a request.
      expect(calls).toBe(2);
    });
  }
});
