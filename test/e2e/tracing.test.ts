/**
 * OpenTelemetry traces, sent to a real OTLP/HTTP receiver on 127.0.0.1: the README's graph query
 * makes one tree (request, parse/validate/execute, DataLoader batches, one span per vendor call,
 * as many as the sandbox ledger counts), continuing the caller's `traceparent`; the vendor calls
 * carry `traceparent` out (seen by a recording proxy in front of Zuora); log lines carry the
 * trace id. Without OTEL_* settings nothing is traced.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { activeTracer } from '../../src/tracing/active-tracer.js';
import { tracesUrl } from '../../src/tracing/start-tracing.js';
import { captureLogs } from '../unit/observability/capture-logs.js';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';

/** The README's graph query ("The graph"). */
const README_GRAPH_QUERY = `{
  entities(first: 2) {
    totalCount
    nodes {
      name
      parent { name }
      connections(direction: OUTBOUND) { nodes { status target { name } } }
      externalLinks { provider internal { type id } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/** Forwards to `target` and keeps each request's `traceparent`. */
async function startRecordingProxy(target: string): Promise<{ url: string; traceparents: string[]; close(): Promise<void> }> {
  const traceparents: string[] = [];
  const server = http.createServer((req, res) => {
    traceparents.push(String(req.headers.traceparent ?? ''));
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, traceparents, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let receiver: OtlpReceiver;
  let sandbox: Sandbox;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let gateway: Gateway;
  let logs: ReturnType<typeof captureLogs>;
  let answer: { status: number; body: any };
  let ledgerCalls: number;
  let zuoraCalls: number;
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    sandbox = await startSandbox({ limits: 'off' });
    proxy = await startRecordingProxy(sandbox.urls.zuora);
    const all = {
      zuora: sandbox.tenants.zuora.flatMap((tenant) => tenant.entityIds),
      m3ter: sandbox.tenants.m3ter.map((tenant) => tenant.orgId),
      revio: sandbox.tenants.revio.map((tenant) => tenant.clientCode),
    };
    const keys = [{ id: 'admin', hash: hashApiKey(ADMIN_KEY), scopes: ['read', 'write'], tenants: all }];
    const env = { INTERLINK_PORT: '0', INTERLINK_API_KEYS_FILE: '/keys.json', INTERLINK_LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'interlink-test' };
    const config = withSandboxUpstreams(loadConfig(env, () => JSON.stringify(keys)), { urls: { ...sandbox.urls, zuora: proxy.url }, tenants: sandbox.tenants });
    logs = captureLogs();
    gateway = await createGateway({ config, logger: createLogger({ level: 'info', destination: logs.destination }), graphiql: false, drainGraceMs: 1000 });
    const url = await gateway.listen();

    const mark = sandbox.ledger.mark;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`, tracestate: 'vendor=abc' },
      body: JSON.stringify({ query: README_GRAPH_QUERY }),
    });
    answer = { status: response.status, body: await response.json() };
    ledgerCalls = sandbox.ledger.list({ sinceSeq: mark }).length;
    zuoraCalls = sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora' }).length;
    // Closing flushes the batch of spans still buffered.
    await gateway.close();
    spans = receiver.spans.filter((span) => span.traceId === CALLER_TRACE_ID);
  });
  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  const requestSpan = () => {
    const found = spans.filter((span) => span.kind === 2);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('answers the query as usual', () => {
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.entities.nodes).toHaveLength(2);
  });

  it("exports OTLP JSON with the service's name", () => {
    expect(receiver.contentTypes.every((type) => type.startsWith('application/json'))).toBe(true);
    expect(spans.every((span) => span.serviceName === 'interlink-test')).toBe(true);
  });

  it("makes one request span, a child of the caller's span, with operation, caller, tenant and outcome", () => {
    const request = requestSpan();
    expect(request.parentSpanId).toBe(CALLER_SPAN_ID);
    expect(request.name).toBe('query');
    expect(request.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'interlink.caller.key_id': 'admin', 'interlink.outcome': 'success', 'http.response.status_code': 200 });
    expect(request.attributes['interlink.tenant.zuora']).toEqual(expect.any(String));
    expect(request.attributes['interlink.tenant.revio']).toEqual(expect.any(String));
  });

  it('puts parse, validate and execute under the request span', () => {
    const request = requestSpan();
    for (const name of ['graphql parse', 'graphql validate', 'graphql execute']) {
      expect(spans.filter((span) => span.name === name && span.parentSpanId === request.spanId)).toHaveLength(1);
    }
  });

  it('makes one span per vendor call, as many as the sandbox ledger counts, with vendor, operation, status and attempts', () => {
    const calls = spans.filter((span) => span.kind === 3);
    expect(calls.length).toBe(ledgerCalls);
    expect(ledgerCalls).toBeGreaterThan(3);
    for (const call of calls) {
      expect(call.attributes).toMatchObject({ 'interlink.vendor': expect.any(String), 'interlink.vendor.operation': expect.any(String), 'http.response.status_code': 200, 'interlink.attempts': 1, 'interlink.retried': false });
      expect(call.events.map((event) => event.name)).toEqual(['attempt']);
    }
    expect(new Set(calls.map((call) => call.attributes['interlink.vendor']))).toEqual(new Set(['zuora', 'm3ter', 'revio']));
  });

  it('puts DataLoader batches in the tree with their size, and vendor calls made by a batch under it', () => {
    const batches = spans.filter((span) => span.name.startsWith('dataloader batch '));
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.attributes['interlink.batch.size']).toBeGreaterThan(0);
    const batchIds = new Set(batches.map((batch) => batch.spanId));
    expect(spans.some((span) => span.kind === 3 && batchIds.has(span.parentSpanId ?? ''))).toBe(true);
  });

  it('links every span to the request span: one tree', () => {
    const request = requestSpan();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const span of spans) {
      let current: ReceivedSpan | undefined = span;
      for (let depth = 0; current !== undefined && current !== request && depth < 10; depth += 1) current = byId.get(current.parentSpanId ?? '');
      expect(current, `${span.name} is not under the request span`).toBe(request);
    }
  });

  it('sends traceparent with each vendor call, naming that call’s span', () => {
    expect(proxy.traceparents).toHaveLength(zuoraCalls);
    const zuoraSpanIds = new Set(spans.filter((span) => span.attributes['interlink.vendor'] === 'zuora').map((span) => span.spanId));
    for (const header of proxy.traceparents) {
      const [, traceId, spanId] = header.split('-');
      expect(traceId).toBe(CALLER_TRACE_ID);
      expect(zuoraSpanIds.has(spanId!)).toBe(true);
    }
  });

  it("writes the trace id on the request's log lines", () => {
    const line = logs.lines().find((entry) => entry.msg === 'graphql request');
    expect(line?.traceId).toBe(CALLER_TRACE_ID);
  });

  it('stops tracing when the gateway closes', () => {
    expect(activeTracer()).toBeUndefined();
  });
});

describe('tracing off (no OTEL_* endpoint)', () => {
  const gw = withGateway();

  it('creates no tracer and writes no trace ids', async () => {
    expect(activeTracer()).toBeUndefined();
    const response = await gw.post('{ entities { totalCount } }', { headers: { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` } });
    expect(response.status).toBe(200);
    expect(gw.logs().some((line) => 'traceId' in line)).toBe(false);
  });
});

describe('the traces URL', () => {
  it('appends /v1/traces to the base endpoint; the traces endpoint is used as given', () => {
    expect(tracesUrl({ endpoint: 'http://collector:4318' })).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl({ endpoint: 'http://collector:4318/otlp/' })).toBe('http://collector:4318/otlp/v1/traces');
    expect(tracesUrl({ endpoint: 'http://a:1', tracesEndpoint: 'http://b:2/traces' })).toBe('http://b:2/traces');
    expect(tracesUrl({})).toBeUndefined();
  });

  it('is read from the standard variables, off by default', () => {
    expect(loadConfig({}, () => '').tracing).toEqual({ serviceName: 'interlink', sampler: 'parentbased_always_on', samplerArg: 1, disabled: false });
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '2' }, () => '')).toThrow(/OTEL_TRACES_SAMPLER must be one of[\s\S]*OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/);
  });
});
