import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Metrics } from '../observability/metrics.js';
import { responseSummary } from './response-summary.js';

export interface MetricsPluginOptions {
  /** From `createMetrics()`; this plugin feeds its GraphQL request counter and histogram. */
  metrics: Pick<Metrics, 'observeGraphQLRequest'>;
  /** For tests: a millisecond clock. */
  now?: () => number;
}

/**
 * Counts each GraphQL request by operation name and outcome and records its latency. The name
 * is the resolved operation's (`null` for anonymous or unparsable documents, which become
 * `unknown`), not whatever the client put in `operationName`.
 */
export function metricsPlugin<TContext extends BaseContext>({ metrics, now = performance.now.bind(performance) }: MetricsPluginOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = now();
      return {
        async willSendResponse(requestContext) {
          const { outcome } = responseSummary(requestContext);
          metrics.observeGraphQLRequest({ operationName: requestContext.operationName, outcome, durationMs: now() - started });
        },
      };
    },
  };
}
