// Admission control over HTTP: a request beyond the executing cap and the line is answered 503
// with Retry-After and a retryable code at once, without any vendor call.
import { describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const ENTITIES = '{ entities(first: 1) { nodes { entityId } } }';

describe('admission control', () => {
  const gateway = withGateway({ env: { INTERLINK_MAX_CONCURRENT_REQUESTS: '1', INTERLINK_MAX_QUEUED_REQUESTS: '0' } });

  it('answers a request past the cap 503 with Retry-After, and runs the next one once the slot is free', async () => {
    // The first request holds the only slot: Zuora answers it after 500 ms.
    gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 500, times: 1, match: { path: '^/v1/entities' } }] });
    const slow = gateway.post(ENTITIES);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mark = gateway.sandbox.ledger.mark;
    const refused = await gateway.post(ENTITIES);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'SERVICE_OVERLOADED', retryable: true, retryAfterMs: 1000 } })]);
    expect(gateway.calls(mark)).toBe(0);
    expect((await slow).status).toBe(200);
    const after = await gateway.post(ENTITIES);
    expect(after.status).toBe(200);
    expect(after.body.data.entities.nodes).toHaveLength(1);
  });
});

describe('admission between API keys', () => {
  const FLOODER = 'ilk_test_flooder_admission_0123456789abcdef0123456789abcdef';
  const OTHER = 'ilk_test_other_admission_fedcba9876543210fedcba9876543210';
  const gateway = withGateway({
    env: { INTERLINK_MAX_CONCURRENT_REQUESTS: '8', INTERLINK_MAX_QUEUED_REQUESTS: '100', INTERLINK_COALESCE_QUERIES: 'false' },
    keys: { flooder: { key: FLOODER, scopes: ['read'] }, other: { key: OTHER, scopes: ['read'] } },
  });

  it("answers another key's query at once while one key's slow requests fill the line", async () => {
    // Each of the flooder's requests holds its slot for 1.5 s.
    gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 1500, match: { path: '^/v1/entities' } }] });
    const flood = Array.from({ length: 40 }, (_, i) => gateway.post(`{ entities(first: ${(i % 20) + 1}) { nodes { entityId } } }`, { key: FLOODER }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const order: string[] = [];
    const tracked = flood.map((request) => request.then((answer) => (order.push('flood'), answer)));
    // The other key's query reads Rev.io (no latency): it is admitted into the reserved slots.
    const other = await gateway.post('{ integrationSystems { id } }', { key: OTHER });
    order.push('other');
    gateway.sandbox.clearFaults();
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
    // Answered before the first of the flooder's 40 (each waits 1.5 s), not after them.
    expect(order.indexOf('other')).toBe(0);
    const answers = await Promise.all(tracked);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
  });
});
