/**
 * A span per vendor call (its retries are the same call), a child of whatever is active when the
 * call starts (a DataLoader batch, or the request), with an `attempt` event per HTTP attempt. Its
 * `traceparent` goes out with the call, so a vendor that traces joins the tree.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { activeTracer } from './active-tracer.js';

/** The call's span, with `traceparent` written into `headers`; `undefined` when tracing is off. */
export function startUpstreamSpan(vendor: string, operation: string, method: string, headers: Record<string, unknown>): Span | undefined {
  const tracer = activeTracer();
  if (tracer === undefined) return undefined;
  const span = tracer.startSpan(`${vendor} ${operation}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'interlink.vendor': vendor, 'interlink.vendor.operation': operation, [ATTR_HTTP_REQUEST_METHOD]: method },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return span;
}

/** One attempt's outcome: the span keeps the last status and how many attempts it took. */
export function recordAttempt(span: Span, attempt: { attempt: number; status: number | undefined; retried: boolean }): void {
  span.addEvent('attempt', { 'interlink.attempt': attempt.attempt, 'interlink.retried': attempt.retried, ...(attempt.status === undefined ? {} : { [ATTR_HTTP_RESPONSE_STATUS_CODE]: attempt.status }) });
  span.setAttribute('interlink.attempts', attempt.attempt);
  span.setAttribute('interlink.retried', attempt.attempt > 1 || attempt.retried);
  if (attempt.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, attempt.status);
}

/** Ends the span when the call settles; a failed call's span carries the error's code (UPSTREAM_TIMEOUT, …). */
export function endWithCall<T>(span: Span, call: Promise<T>): Promise<T> {
  return call.then(
    (result) => {
      span.end();
      return result;
    },
    (error: unknown) => {
      const code = (error as { code?: unknown } | undefined)?.code;
      span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' ? { message: code } : {}) });
      span.end();
      throw error;
    },
  );
}
