import { gatewayErrorIn } from './gateway-error-in.js';

/**
 * The public code of an error as formatError reports it: a `GatewayError`'s own code,
 * INTERNAL_SERVER_ERROR for an internal one or anything unexpected, and GraphQL's own request
 * errors (no foreign cause) keep their `extensions.code`.
 */
export function errorCodeOf(error: unknown): string {
  const cause = gatewayErrorIn(error);
  if (cause !== undefined) return cause.internal ? 'INTERNAL_SERVER_ERROR' : cause.code;
  const { extensions, originalError } = (error ?? {}) as { extensions?: { code?: unknown }; originalError?: unknown };
  return typeof extensions?.code === 'string' && (originalError === undefined || originalError === null) ? extensions.code : 'INTERNAL_SERVER_ERROR';
}
