/**
 * Apollo Server's one supported way to execute operations with an executor of one's own: the
 * gateway interface. Apollo still parses, validates, runs every plugin hook (limits, scopes,
 * audit, logs, metrics) and formats errors; only the `execute` step is ours. The schema is fixed,
 * so it is announced once and never updated.
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { printSchema, type GraphQLSchema } from 'graphql';
import type { OperationExecutor, OperationRequest } from './operation-executor.js';

export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

export function executorGateway(schema: GraphQLSchema, execute: OperationExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        executor: (requestContext) =>
          execute({
            document: requestContext.document,
            // Typed as set, but undefined when Apollo could not pick the operation to run.
            operation: requestContext.operation as OperationRequest['operation'],
            operationName: requestContext.operationName,
            queryHash: requestContext.queryHash,
            contextValue: requestContext.context,
            variables: requestContext.request.variables,
          }),
      };
    },
    async stop() {},
  };
}
