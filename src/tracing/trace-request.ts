import type { IncomingMessage } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { activeTracer } from './active-tracer.js';

/**
 * Runs one GraphQL request inside its span, the root of the request's tree (or a child of the
 * caller's span when `traceparent` names one). The tracing plugin names it after the operation
 * and adds the caller, tenant and outcome; a request refused before Apollo keeps this name and
 * its HTTP status.
 */
export function traceRequest<T extends { status?: number | undefined }>(req: IncomingMessage, requestId: string, run: () => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (tracer === undefined) return run();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(
    'graphql request',
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET', [ATTR_URL_PATH]: '/graphql', 'interlink.request_id': requestId } },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      const response = await run();
      const status = response.status ?? 200;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
