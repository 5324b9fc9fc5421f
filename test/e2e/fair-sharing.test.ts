/**
 * One caller's heavy request must not starve another's: with the Rev.io limits on (the gateway's
 * 8 calls per second per key, and the sandbox's own), a key's one-call query is served within a
 * few slots of arriving while another key's request works through a backlog of 40 calls; and a
 * key running three requests gets no more turns than a key running one. Read from the order of
 * the sandbox ledger, never from the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../sandbox/index.js';
import { withGateway, type TestGateway } from '../helpers/gateway.js';

const HEAVY_KEY = 'ilk_test_fair_heavy_0123456789abcdefghijklmnop';
const LIGHT_KEY = 'ilk_test_fair_light_0123456789abcdefghijklmnop';
const HEAVY_CALLS = 40;

/** One Rev.io key-link search per alias (distinct external ids, so nothing is de-duplicated). */
const HEAVY_QUERY = `{ ${Array.from(
  { length: HEAVY_CALLS },
  (_, i) => `l${i}: externalLinks(filter: { provider: REVIO, externalId: "fair-heavy-${i}" }, first: 1) { nodes { id } }`,
).join('\n')} }`;
const LIGHT_QUERY = `{ externalLinks(filter: { provider: REVIO, externalId: "fair-light" }, first: 1) { nodes { id } } }`;
/** Three requests of one key against one request of another, `CALLS_EACH` searches each. */
const CALLS_EACH = 16;
const queryOf = (prefix: string, calls: number) =>
  `{ ${Array.from({ length: calls }, (_, i) => `l${i}: externalLinks(filter: { provider: REVIO, externalId: "${prefix}-${i}" }, first: 1) { nodes { id } }`).join('\n')} }`;

const searches = (gateway: TestGateway, since: number): LedgerEntry[] => gateway.sandbox.ledger.list({ sinceSeq: since, vendor: 'revio', path: 'IntegrationKeyLink' });
const byRequest = (entries: LedgerEntry[], requestId: string) => entries.filter((entry) => entry.headers['x-request-id'] === requestId);

describe('fair sharing of a vendor tenant between requests', () => {
  const gateway = withGateway({
      // The vendors' published limits, as in production.
      sandbox: { limits: 'vendor' },
      keys: { heavy: { key: HEAVY_KEY, scopes: ['read'] }, light: { key: LIGHT_KEY, scopes: ['read'] } },
    });
  beforeAll(async () => {
    // Loads the Rev.io catalog, which every later query reuses.
    const warm = await gateway.post(LIGHT_QUERY, { key: LIGHT_KEY });
    expect(warm.body.errors).toBeUndefined();
  });

  it("serves another key's one-call query within a few slots while a 40-call request is queued", async () => {
    const start = gateway.sandbox.ledger.mark;
    const heavy = gateway.post(HEAVY_QUERY, { key: HEAVY_KEY, headers: { 'x-request-id': 'fair-heavy' } });
    // Wait until the heavy request's calls are flowing (and the rest of them queued behind the limiter).
    while (byRequest(searches(gateway, start), 'fair-heavy').length < 3) await new Promise((resolve) => setTimeout(resolve, 10));

    const arrived = gateway.sandbox.ledger.mark;
    const light = await gateway.post(LIGHT_QUERY, { key: LIGHT_KEY, headers: { 'x-request-id': 'fair-light' } });
    expect(light.status).toBe(200);
    expect(light.body.errors).toBeUndefined();
    const done = await heavy;
    expect(done.body.errors).toBeUndefined();

    const after = searches(gateway, arrived);
    const lightAt = after.findIndex((entry) => entry.headers['x-request-id'] === 'fair-light');
    expect(lightAt).toBeGreaterThanOrEqual(0);
    // Heavy calls the vendor served between the light request's arrival and its one call: those
    // that started while the light request went through the gateway (one every 125 ms), then
    // round-robin gives it the next turn but one (0 to 2 on a quiet machine; 6 leaves room for
    // a busy one). In FIFO order it would wait for the whole backlog: 37 when measured.
    expect(byRequest(after.slice(0, lightAt), 'fair-heavy').length).toBeLessThanOrEqual(6);
    // The heavy request still had a backlog when the light one was served: there was contention.
    expect(byRequest(after.slice(lightAt + 1), 'fair-heavy').length).toBeGreaterThanOrEqual(20);
    expect(byRequest(searches(gateway, start), 'fair-heavy')).toHaveLength(HEAVY_CALLS);
  });

  it("gives a key one turn in two against another key's three requests, not one in four", async () => {
    const start = gateway.sandbox.ledger.mark;
    const heavies = [1, 2, 3].map((r) => gateway.post(queryOf(`fair-many-${r}`, CALLS_EACH), { key: HEAVY_KEY, headers: { 'x-request-id': `fair-many-${r}` } }));
    while (searches(gateway, start).length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    const light = await gateway.post(queryOf('fair-one', CALLS_EACH), { key: LIGHT_KEY, headers: { 'x-request-id': 'fair-one' } });
    expect(light.body.errors).toBeUndefined();
    for (const heavy of await Promise.all(heavies)) expect(heavy.body.errors).toBeUndefined();

    const sent = searches(gateway, start);
    const first = sent.findIndex((entry) => entry.headers['x-request-id'] === 'fair-one');
    const last = sent.findLastIndex((entry) => entry.headers['x-request-id'] === 'fair-one');
    const heavyBetween = sent.slice(first, last + 1).filter((entry) => entry.headers['x-request-id'] !== 'fair-one').length;
    // Round-robin by key: about one heavy call per light call (15 between the first and the
    // last), plus those in flight. By request alone it would be three per light call (about 45).
    expect(heavyBetween).toBeLessThanOrEqual(24);
    // The heavy key still had a backlog when the light one was done: there was contention.
    expect(sent.slice(last + 1).length).toBeGreaterThanOrEqual(10);
    expect(sent.every((entry) => entry.status === 200)).toBe(true);
  });
});
