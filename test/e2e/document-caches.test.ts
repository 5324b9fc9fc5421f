/**
 * The caches a client fills with its documents hold what their caps say, source text included:
 * Apollo's parsed documents and the compiled plans. Documents of ~900 KB that are one long
 * comment (under the token and body limits) are the case Apollo's own sizing missed.
 */
import { describe, expect, it } from 'vitest';
import { DOCUMENT_CACHE_BYTES } from '../../src/execution/document-store.js';
import { COMPILED_CACHE_BYTES } from '../../src/execution/operation-executor.js';
import { withGateway } from '../helpers/gateway.js';

/** A gauge's value from the Prometheus text. */
function gauge(text: string, name: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}

describe('document caches', () => {
  const gw = withGateway();

  it('keep 45 distinct ~900 KB documents, each sent twice, under their byte caps', { timeout: 120_000 }, async () => {
    const comment = 'x'.repeat(900 * 1024);
    let peakDocuments = 0;
    let peakPlans = 0;
    for (let i = 0; i < 45; i++) {
      const query = `# ${i} ${comment}\n{ n${i}: __typename }`;
      for (let run = 0; run < 2; run++) {
        const answer = await gw.post(query);
        expect(answer.status).toBe(200);
        expect(answer.body.data).toEqual({ [`n${i}`]: 'Query' });
      }
      const text = await gw.gateway.metrics.render();
      peakDocuments = Math.max(peakDocuments, gauge(text, 'interlink_document_cache_bytes'));
      peakPlans = Math.max(peakPlans, gauge(text, 'interlink_compiled_plan_cache_bytes'));
    }
    const text = await gw.gateway.metrics.render();
    expect(gauge(text, 'interlink_document_cache_max_bytes')).toBe(DOCUMENT_CACHE_BYTES);
    expect(gauge(text, 'interlink_compiled_plan_cache_max_bytes')).toBe(COMPILED_CACHE_BYTES);
    // 45 x 900 KB is 40 MB of source text: over each cap, so each cache let documents go.
    expect(peakDocuments).toBeLessThanOrEqual(DOCUMENT_CACHE_BYTES);
    expect(peakDocuments).toBeGreaterThan(DOCUMENT_CACHE_BYTES - 2 * 900 * 1024);
    expect(peakPlans).toBeLessThanOrEqual(COMPILED_CACHE_BYTES);
    expect(gauge(text, 'interlink_document_cache_entries')).toBeLessThan(45);
    expect(gauge(text, 'interlink_compiled_plan_cache_entries')).toBeLessThan(45);
  });
});
