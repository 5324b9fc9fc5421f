import type { Tracer } from '@opentelemetry/api';

/**
 * The process's tracer while tracing is on, else `undefined`. Every instrumentation point asks
 * this first and does nothing more when it is off: no spans, not even no-op ones, so a gateway
 * without tracing pays one variable read per loader, vendor call and log line.
 */
let active: Tracer | undefined;

export function activeTracer(): Tracer | undefined {
  return active;
}

export function setActiveTracer(tracer: Tracer | undefined): void {
  active = tracer;
}
