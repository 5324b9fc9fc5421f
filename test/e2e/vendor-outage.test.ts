/**
 * A vendor that is down, through the whole gateway: after a few failed calls its circuit opens
 * and its fields fail at once (UPSTREAM_UNAVAILABLE, retryable, with the wait until the next
 * probe) instead of each waiting out its own attempts; other vendors' fields are unaffected; once
 * the vendor is back, one probe closes the circuit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const KEY = 'ilk_test_outage_0123456789abcdefghijkl';

describe('a vendor outage', () => {
  const gw = withGateway({ keys: { reader: { key: KEY, scopes: ['read'] } }, env: { INTERLINK_UPSTREAM_BACKOFF_BASE_MS: '10', INTERLINK_UPSTREAM_BACKOFF_LIMIT_MS: '20' } });

  it('opens the circuit, fails fast while it is open, keeps the other vendors, and closes once the vendor is back', async () => {
    const query = '{ entities { totalCount } mappingConfiguration { m3terEntities } }';
    expect((await gw.post(query, { key: KEY })).body.errors).toBeUndefined();
    const outage = gw.sandbox.refuseConnections('m3ter', 2_500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push((await gw.post(query, { key: KEY })).body);
    // Zuora answers every time; m3ter's field fails, first after its attempts, then at once.
    expect(answers.every((body) => body.data.entities.totalCount > 0)).toBe(true);
    const errors = answers.map((body) => body.errors?.[0]);
    expect(errors.every((error) => error?.extensions.code === 'UPSTREAM_UNAVAILABLE' && error.extensions.upstream.retryable === true)).toBe(true);
    const fast = errors.filter((error) => /CIRCUIT_OPEN/.test(error.message));
    expect(fast.length).toBeGreaterThanOrEqual(3);
    expect(fast[0].extensions.upstream.retryAfterMs).toBeGreaterThan(0);
    await outage;
    // The next probe after the half-open wait closes the circuit.
    let recovered = false;
    for (let i = 0; i < 40 && !recovered; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = (await gw.post(query, { key: KEY })).body.errors === undefined;
    }
    expect(recovered).toBe(true);
  });
});
