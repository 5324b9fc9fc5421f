/**
 * The one masking boundary (Apollo's `formatError`). What a client may see:
 *
 * - a `GatewayError`: its fixed `code` and its message, which is built from safe fields only;
 *   an `UpstreamError` adds `extensions.upstream: { vendor, requestId?, retryable, retryAfterMs? }`, and
 *   IDEMPOTENCY_IN_PROGRESS adds `extensions.retryable: true`; any other facts a caller can act
 *   on (a limit's name and numbers) come from the error's own `details`;
 * - a `GatewayError` marked `internal` (a bug on our side): INTERNAL_SERVER_ERROR, generic;
 * - GraphQL's own request errors (parse, validation, variable coercion): Apollo's code and message,
 *   without graphql-js's "Did you mean …?" when introspection is off (it names fields and values);
 * - anything else: INTERNAL_SERVER_ERROR with a generic message.
 *
 * Never a host, token, stack or vendor body: extensions are rebuilt here, not passed through.
 */
import type { GraphQLFormattedError } from 'graphql';
import { tokenRefusalIn } from './limits/token-limit.js';
import { IdempotencyInProgressError, UpstreamError } from './errors.js';
import { gatewayErrorIn } from './plugins/gateway-error-in.js';

/** Codes of errors GraphQL and Apollo raise about the request itself, before any resolver runs. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export const GENERIC_MESSAGE = 'Internal server error';

export interface FormatErrorOptions {
  /** Keep graphql-js's "Did you mean …?" suggestions; off when introspection is, or they leak the schema. */
  suggestions: boolean;
}

/** Apollo's `formatError` for a server; `suggestions` follows its introspection setting. */
export function createFormatError({ suggestions }: FormatErrorOptions): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  if (suggestions) return formatError;
  return (formatted, error) => {
    const result = formatError(formatted, error);
    return { ...result, message: withoutSuggestions(result.message) };
  };
}

/** graphql-js ends validation and coercion messages with ` Did you mean "a", "b" or "c"?`. */
const withoutSuggestions = (message: string): string => message.replace(/ ?Did you mean [\s\S]*\?$/, '');

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const where = {
    ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
  };
  const cause = gatewayErrorIn(error);
  if (cause !== undefined) {
    if (cause.internal) return { message: GENERIC_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const upstream =
      cause instanceof UpstreamError
        ? { upstream: { vendor: cause.vendor, ...(cause.requestId === undefined ? {} : { requestId: cause.requestId }), retryable: cause.retryable, ...(cause.retryAfterMs === undefined ? {} : { retryAfterMs: cause.retryAfterMs }) } }
        : {};
    // The one gateway-side wait worth retrying: the first request with the same clientMutationId is still running.
    const retryable = cause instanceof IdempotencyInProgressError ? { retryable: true } : {};
    return { message: cause.message, ...where, extensions: { code: cause.code, ...cause.details, ...upstream, ...retryable } };
  }
  // The parser's token limit, reported as the query limit it is (limits/token-limit.ts).
  const tokens = tokenRefusalIn(error);
  if (tokens !== undefined) {
    const message = `The document has ${tokens.measured} tokens; the limit is ${tokens.max}`;
    return { message, ...where, extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxTokens', max: tokens.max, measured: tokens.measured } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code) && isRequestError(error)) {
    return { message: formatted.message, ...where, extensions: { code } };
  }
  // graphql-js's own refusals while starting execution ("Too many errors processing variables", an
  // operation type the schema lacks) carry no code, cause or path: the request's fault, not ours.
  if (formatted.path === undefined && isGraphQLErrorLike(error) && error.extensions.code === undefined && isRequestError(error)) {
    return { message: formatted.message, ...where, extensions: { code: 'BAD_REQUEST' } };
  }
  return { message: GENERIC_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** GraphQL's own errors carry no foreign cause (a scalar's coercion error wraps another GraphQL error at most). */
function isRequestError(error: unknown): boolean {
  if (!isGraphQLErrorLike(error)) return false;
  const cause = error.originalError;
  return cause === undefined || cause === null || isGraphQLErrorLike(cause);
}

function isGraphQLErrorLike(value: unknown): value is Error & { originalError?: unknown; extensions: { code?: unknown } } {
  return value instanceof Error && typeof (value as { extensions?: unknown }).extensions === 'object' && 'locations' in value;
}
