/**
 * OpenTelemetry traces over OTLP/HTTP (JSON), when `config.tracing` names an endpoint. The SDK
 * is registered for the process: its AsyncLocalStorage context manager carries the active span
 * from the request through Apollo and DataLoader to each vendor call, and the W3C propagator
 * reads `traceparent`/`tracestate` in and writes `traceparent` out. Nothing is registered when
 * tracing is off.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config/config-types.js';
import { setActiveTracer } from './active-tracer.js';
import type { SamplerName } from './tracing-settings.js';

export interface Tracing {
  /** Sends the spans still buffered, then unregisters; safe to call more than once. */
  shutdown(): Promise<void>;
}

export function startTracing(config: TracingConfig): Tracing | undefined {
  const url = tracesUrl(config);
  if (url === undefined || config.disabled) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: samplerFor(config.sampler, config.samplerArg),
    // Batched: spans leave in the background, never on a request's path.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  setActiveTracer(provider.getTracer('interlink'));
  let stopped: Promise<void> | undefined;
  return {
    shutdown: () =>
      (stopped ??= (async () => {
        setActiveTracer(undefined);
        await provider.shutdown();
        trace.disable();
        context.disable();
        propagation.disable();
      })()),
  };
}

/** The traces URL as the OTLP exporter spec builds it: the signal's own, else `<base>/v1/traces`. */
export function tracesUrl({ endpoint, tracesEndpoint }: Pick<TracingConfig, 'endpoint' | 'tracesEndpoint'>): string | undefined {
  if (tracesEndpoint !== undefined) return tracesEndpoint;
  if (endpoint === undefined) return undefined;
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

function samplerFor(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
