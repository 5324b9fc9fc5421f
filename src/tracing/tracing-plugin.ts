import type { ApolloServerPlugin } from '@apollo/server';
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { ObservedContext } from '../plugins/observed-context.js';
import { responseSummary } from '../plugins/response-summary.js';
import { activeTracer } from './active-tracer.js';

/** OpenTelemetry's GraphQL attribute names (incubating in semantic-conventions, so spelled here). */
const OPERATION_NAME = 'graphql.operation.name';
const OPERATION_TYPE = 'graphql.operation.type';

/**
 * Fills in the request span `traceRequest` opened (active while Apollo runs the request): the
 * operation's type and name (also its span name, as OpenTelemetry's GraphQL conventions have it),
 * the caller's key id, the tenant, and the outcome; and adds parse, validate and execute spans
 * under it. Never the document or its variables. Does nothing while tracing is off.
 */
export function tracingPlugin<TContext extends ObservedContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const tracer = activeTracer();
      const span = tracer === undefined ? undefined : trace.getActiveSpan();
      if (tracer === undefined || span === undefined) return;
      return {
        async parsingDidStart() {
          return phase(tracer, 'graphql parse');
        },
        async validationDidStart() {
          const end = phase(tracer, 'graphql validate');
          return (errors) => end(errors?.[0]);
        },
        async didResolveOperation({ operation, operationName }) {
          const type = operation?.operation ?? 'query';
          span.setAttribute(OPERATION_TYPE, type);
          if (operationName) span.setAttribute(OPERATION_NAME, operationName.slice(0, 128));
          span.updateName(operationName ? `${type} ${operationName.slice(0, 128)}` : type);
        },
        async executionDidStart() {
          const end = phase(tracer, 'graphql execute');
          return { executionDidEnd: (error) => end(error) };
        },
        async willSendResponse(requestContext) {
          const { contextValue } = requestContext;
          const { outcome, errorCodes } = responseSummary(requestContext);
          span.setAttribute('interlink.outcome', outcome);
          if (errorCodes.length > 0) span.setAttribute('interlink.error_codes', [...new Set(errorCodes)]);
          if (contextValue.caller !== undefined) span.setAttribute('interlink.caller.key_id', contextValue.caller.keyId);
          for (const [vendor, tenant] of Object.entries(contextValue.tenant ?? {})) {
            if (tenant !== undefined) span.setAttribute(`interlink.tenant.${vendor}`, tenant);
          }
          if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
        },
      };
    },
  };
}

/** A child of the active (request) span; the returned function ends it, as failed when given an error. */
function phase(tracer: Tracer, name: string): (error?: Error) => Promise<void> {
  const span: Span = tracer.startSpan(name, {}, context.active());
  return async (error) => {
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
    span.end();
  };
}
