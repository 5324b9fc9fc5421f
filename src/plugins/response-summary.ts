import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLOutcome } from '../observability/metrics.js';

export interface ResponseSummary {
  outcome: GraphQLOutcome;
  /** `extensions.code` of each error the client got, in order, after masking. */
  errorCodes: string[];
}

/** What the client was sent: the formatted (masked) errors and whether data came with them. */
export function responseSummary(requestContext: GraphQLRequestContextWillSendResponse<object>): ResponseSummary {
  const body = requestContext.response.body;
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  const errors = result.errors ?? [];
  const errorCodes = errors.map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR'));
  const hasData = result.data !== undefined && result.data !== null;
  return { outcome: errors.length === 0 ? 'success' : hasData ? 'partial' : 'error', errorCodes };
}
