import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { formatError } from '../format-error.js';
import { RepeatedErrorLog, type RepeatedErrorLogOptions } from '../observability/repeated-error-log.js';
import type { ObservedContext } from './observed-context.js';
import { responseSummary } from './response-summary.js';

export interface RequestLogPluginOptions {
  /** From `createLogger()`; lines go out at info, masked failures at error. */
  logger: Logger;
  /** For tests: a millisecond clock. */
  now?: () => number;
  /** How masked errors' stacks are bounded: the first of a kind per window in full, repeats counted (default 60 s). */
  repeats?: RepeatedErrorLogOptions;
}

/**
 * One structured line per GraphQL request, when the response is sent:
 *
 *   {"msg":"graphql request","requestId":"…","operationName":"EntityLinks","operationType":"query",
 *    "durationMs":41.2,"upstreamCalls":3,"outcome":"success","errorCodes":[],"keyId":"billing-sync"}
 *
 * Never the document, variables or headers. An error the client only sees as
 * INTERNAL_SERVER_ERROR gets its own error-level line with the real error (safely serialized),
 * since the response hides it; repeats of the same error within a minute are counted and
 * summarised in one line instead (observability/repeated-error-log.ts). A failed context function
 * (401, 403) never starts a request; the HTTP layer logs those (src/http/graphql-handler.ts
 * `onRefused`) with their request id.
 */
export function requestLogPlugin<TContext extends ObservedContext>({ logger, now = performance.now.bind(performance), repeats }: RequestLogPluginOptions): ApolloServerPlugin<TContext> {
  const masked = new RepeatedErrorLog(logger, repeats);
  return {
    async requestDidStart() {
      const started = now();
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            // Exactly what formatError masks: a parse, validation or variable error is the caller's
            // and stays out of the error log (one bad request, one line).
            if (isMasked(error)) masked.error({ requestId: contextValue.requestId, path: error.path }, error.originalError ?? error, 'graphql error masked as INTERNAL_SERVER_ERROR');
          }
        },
        async willSendResponse(requestContext) {
          const { contextValue } = requestContext;
          const { outcome, errorCodes } = responseSummary(requestContext);
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: clipName(requestContext.operationName),
              operationType: requestContext.operation?.operation ?? null,
              durationMs: Math.round((now() - started) * 10) / 10,
              upstreamCalls: contextValue.upstreamCalls?.count ?? 0,
              outcome,
              errorCodes,
              status: requestContext.response.http.status ?? 200,
              ...(contextValue.caller === undefined ? {} : { keyId: contextValue.caller.keyId }),
            },
            'graphql request',
          );
        },
      };
    },
  };
}

/** Whether formatError hides this error's cause behind INTERNAL_SERVER_ERROR: only then is the full error logged. */
function isMasked(error: GraphQLError): boolean {
  return formatError(error.toJSON(), error).extensions?.code === 'INTERNAL_SERVER_ERROR';
}

/** Operation names come from clients and may be any length the body allows; a log line keeps 128 characters. */
function clipName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  return name.length > 128 ? `${name.slice(0, 128)}…` : name;
}
