import { createRequire } from 'node:module';
import type { GatewayError } from '../errors.js';

/**
 * GraphQLError as Apollo loads it. graphql has no `exports` map, so Node gives Apollo the CJS
 * build; Apollo recognises an error's HTTP status (`extensions.http`) only on an instance of that
 * class, and a bundler or test runner may hand this module the ESM build instead.
 */
const { GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** HTTP status for an error raised before execution (context, scope): 401, 403 or 400. */
export function statusOf(error: GatewayError): number {
  if (error.code === 'UNAUTHENTICATED') return 401;
  return error.code === 'FORBIDDEN' || error.code === 'OPERATION_NOT_ALLOWLISTED' ? 403 : 400;
}

/** The error Apollo turns into a response with the gateway error's code and its HTTP status. */
export function httpGraphQLError(error: GatewayError): Error {
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status: statusOf(error) } } });
}
