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
