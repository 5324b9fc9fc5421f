import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';
import { metricsHandler } from '../../../src/observability/metrics-handler.js';
import { createOperationLabel } from '../../../src/observability/operation-label.js';

async function valuesOf(metrics: ReturnType<typeof createMetrics>, name: string) {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  return (await metric.get()).values;
}

describe('createMetrics', () => {
  it('counts GraphQL requests by operation and outcome, with latency in seconds', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeGraphQLRequest({ operationName: 'EntityLinks', outcome: 'success', durationMs: 120 });
    metrics.observeGraphQLRequest({ operationName: 'EntityLinks', outcome: 'partial', durationMs: 80 });
    metrics.observeGraphQLRequest({ operationName: null, outcome: 'error', durationMs: 5 });
    expect(await valuesOf(metrics, 'interlink_graphql_requests_total')).toEqual([
      { labels: { operation: 'EntityLinks', outcome: 'success' }, value: 1 },
      { labels: { operation: 'EntityLinks', outcome: 'partial' }, value: 1 },
      { labels: { operation: 'unknown', outcome: 'error' }, value: 1 },
    ]);
    const text = await metrics.render();
    expect(text).toContain('interlink_graphql_request_duration_seconds_sum{operation="EntityLinks"} 0.2');
    expect(text).toContain('interlink_graphql_request_duration_seconds_count{operation="unknown"} 1');
  });

  it('counts upstream attempts by vendor, operation and status, and retries from `retried`', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.onUpstreamCall({ vendor: 'zuora', operation: 'listEntities', status: 503, durationMs: 40, attempt: 1, retried: true });
    metrics.onUpstreamCall({ vendor: 'zuora', operation: 'listEntities', status: 200, durationMs: 30, attempt: 2, retried: false });
    metrics.onUpstreamCall({ vendor: 'revio', operation: 'findKeyLinks', status: undefined, durationMs: 8000, attempt: 1, retried: false });
    expect(await valuesOf(metrics, 'interlink_upstream_requests_total')).toEqual([
      { labels: { vendor: 'zuora', operation: 'listEntities', status: '503' }, value: 1 },
      { labels: { vendor: 'zuora', operation: 'listEntities', status: '200' }, value: 1 },
      { labels: { vendor: 'revio', operation: 'findKeyLinks', status: 'none' }, value: 1 },
    ]);
    expect(await valuesOf(metrics, 'interlink_upstream_retries_total')).toEqual([{ labels: { vendor: 'zuora', operation: 'listEntities' }, value: 1 }]);
    expect(await metrics.render()).toContain('interlink_upstream_request_duration_seconds_sum{vendor="zuora",operation="listEntities"} 0.07');
  });

  it('counts token fetches by vendor and outcome, and batch sizes by loader', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.onTokenFetch({ vendor: 'm3ter', credential: 'org-1', durationMs: 50, ok: true });
    metrics.onTokenFetch({ vendor: 'm3ter', credential: 'org-1', durationMs: 50, ok: false });
    metrics.observeBatch('entityById', 20);
    metrics.observeBatch('entityById', 1);
    expect(await valuesOf(metrics, 'interlink_upstream_token_fetches_total')).toEqual([
      { labels: { vendor: 'm3ter', outcome: 'ok' }, value: 1 },
      { labels: { vendor: 'm3ter', outcome: 'error' }, value: 1 },
    ]);
    const text = await metrics.render();
    expect(text).toContain('interlink_dataloader_batch_size_bucket{le="20",loader="entityById"} 2');
    expect(text).toContain('interlink_dataloader_batch_size_count{loader="entityById"} 2');
    expect(text).not.toContain('credential');
  });

  it('includes process metrics on its own registry, so two instances do not collide', async () => {
    const first = createMetrics();
    const second = createMetrics({ prefix: 'other_' });
    expect(await first.render()).toContain('interlink_process_cpu_user_seconds_total');
    expect(await second.render()).toContain('other_process_resident_memory_bytes');
    expect(await second.render()).not.toContain('interlink_');
  });
});

describe('createOperationLabel', () => {
  it('keeps the first names, sends later ones to `other` and anonymous or odd ones to `unknown`', () => {
    const label = createOperationLabel(2);
    expect(['A', 'B', 'A', 'C', null, undefined, 'not a name', 'x'.repeat(80)].map(label)).toEqual(['A', 'B', 'A', 'other', 'unknown', 'unknown', 'unknown', 'other']);
  });
});

describe('metricsHandler', () => {
  it('serves the exposition text on GET /metrics and nothing else', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeBatch('linksByEntity', 3);
    const handler = metricsHandler(metrics);
    const written = await new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve) => {
      const res = {
        status: 0,
        headers: {} as Record<string, string>,
        writeHead(status: number, headers: Record<string, string>) {
          Object.assign(res, { status, headers });
          return res;
        },
        end(body: string) {
          resolve({ status: res.status, headers: res.headers, body });
          return res;
        },
      };
      expect(handler({ url: '/metrics', method: 'GET' } as IncomingMessage, res as unknown as ServerResponse)).toBe(true);
    });
    expect(written.status).toBe(200);
    expect(written.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(written.body).toContain('interlink_dataloader_batch_size_count{loader="linksByEntity"} 1');
    expect(handler({ url: '/graphql', method: 'GET' } as IncomingMessage, {} as ServerResponse)).toBe(false);
  });
});
