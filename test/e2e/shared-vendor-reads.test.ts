/**
 * Identical vendor reads in flight share one call (src/upstreams/read-sharing.ts), seen from a
 * caller over HTTP: concurrent different documents that read the same Zuora list cost one call,
 * and /metrics counts the reads that joined. Query coalescing is off, so every saved call is
 * the vendor-read sharing's.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';

describe('shared vendor reads over HTTP', () => {
  const gateway = withGateway({ env: { INTERLINK_COALESCE_QUERIES: 'off' }, keys: { admin: { key: ADMIN_KEY, scopes: ['read'] } } });

  async function sharedTotal(): Promise<number> {
    const text = await gateway.gateway.metrics.render();
    return [...text.matchAll(/^interlink_upstream_shared_reads_total\{[^}]*vendor="zuora"[^}]*\} (\S+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  }

  it('answers five different documents reading the same entity list with one Zuora call, and counts the four that joined', async () => {
    // Five documents, so no execution is shared: only the vendor read underneath them is.
    const documents = ['entityId', 'name', 'status', 'entityId name', 'name status'].map((fields) => `{ entities { nodes { ${fields} } } }`);
    gateway.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 300, times: 1, match: { path: '^/v1/entities' } }] });
    const before = await sharedTotal();
    const mark = gateway.sandbox.ledger.mark;
    const responses = await Promise.all(documents.map((document) => gateway.post(document, { key: ADMIN_KEY })));
    gateway.sandbox.setFaults('zuora', { rules: [] });
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.entities.nodes.length).toBeGreaterThan(0);
    }
    expect(gateway.calls(mark)).toBe(1);
    expect((await sharedTotal()) - before).toBe(4);
  });
});
