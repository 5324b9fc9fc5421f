/**
 * A vendor's health is judged on the vendor's answers (issue #23, section 4), through the whole
 * gateway with the vendors' published limits: while one key floods Rev.io past what its limits
 * let through in a call's deadline, so that many of its calls time out waiting in our own queue,
 * another key's Rev.io queries are answered, never refused as CIRCUIT_OPEN, and every call the
 * vendor saw was answered 200. Before the fix the other key got CIRCUIT_OPEN 4 times here (and
 * 3 times in 25 over a 20 s run at the default deadlines, against 170 Rev.io answers, all 200).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const FLOOD_KEY = 'ilk_test_health_flood_0123456789abcdefghijklm';
const OTHER_KEY = 'ilk_test_health_other_0123456789abcdefghijklm';
/** 50 identity graphs, each a Rev.io search at least: 8 of these queue far more than 8/s can send in 2 s. */
const floodQuery = (r: number) => `{ ${Array.from({ length: 50 }, (_, i) => `g${i}: identityGraph(system: "Salesforce", id: "0012D00000r${r}i${i}") { truncated nodes { id } }`).join('\n')} }`;
const OTHER_QUERY = `{ externalLinks(filter: { provider: REVIO, externalId: "health-other" }, first: 1) { nodes { id } } }`;

describe("a vendor's health, judged on its answers", () => {
  const gateway = withGateway({
    sandbox: { limits: 'vendor' },
    // A short call deadline, so the flood's queued calls time out within the test.
    resilience: { attemptTimeoutMs: 1_000, deadlineMs: 2_000 },
    keys: { flood: { key: FLOOD_KEY, scopes: ['read'] }, other: { key: OTHER_KEY, scopes: ['read'] } },
  });
  beforeAll(async () => {
    // Loads the Rev.io catalog, which every later query reuses.
    expect((await gateway.post(OTHER_QUERY, { key: OTHER_KEY })).body.errors).toBeUndefined();
  });

  it("keeps another key's Rev.io queries answered while a flood's calls time out in the gateway's own queue", async () => {
    const start = gateway.sandbox.ledger.mark;
    let flooding = true;
    const flood = Promise.all(Array.from({ length: 8 }, (_, r) => gateway.post(floodQuery(r), { key: FLOOD_KEY }))).finally(() => (flooding = false));
    const refusals: string[] = [];
    let asked = 0;
    while (flooding || asked < 5) {
      const other = await gateway.post(OTHER_QUERY, { key: OTHER_KEY });
      asked += 1;
      for (const error of other.body.errors ?? []) refusals.push(error.message);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const timedOut = (await flood).flatMap((answer) => answer.body.errors ?? []).filter((error) => error.extensions?.code === 'UPSTREAM_TIMEOUT');
    // The flood did time out in our queue (the condition under test), ...
    expect(timedOut.length).toBeGreaterThan(0);
    // ... yet the other key was never refused, and Rev.io answered every call it was sent.
    expect(refusals).toEqual([]);
    const sent = gateway.sandbox.ledger.list({ sinceSeq: start, vendor: 'revio' });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((entry) => entry.status !== 200)).toEqual([]);
  });
});
