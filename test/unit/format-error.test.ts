import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError, ForbiddenError, UpstreamContractError, UpstreamTimeoutError } from '../../src/errors.js';
import { formatError, GENERIC_MESSAGE } from '../../src/format-error.js';

const wrap = (error: Error) => new GraphQLError(error.message, { path: ['entities'], originalError: error });
const format = (error: GraphQLError) => formatError({ ...error.toJSON(), extensions: { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret.ts:1'] } }, error);

describe('formatError: the masking boundary', () => {
  it('passes a GatewayError code and message, and the vendor facts of an upstream error', () => {
    const timeout = new UpstreamTimeoutError({ vendor: 'zuora', operation: 'listEntities', retryable: true, requestId: 'zr-1', attempts: 3 });
    expect(format(wrap(timeout))).toEqual({
      message: 'zuora listEntities: upstream did not answer in time (no response, 3 attempts)',
      path: ['entities'],
      extensions: { code: 'UPSTREAM_TIMEOUT', upstream: { vendor: 'zuora', requestId: 'zr-1', retryable: true } },
    });
    expect(format(wrap(new BadUserInputError('first must be an integer')))).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: 'first must be an integer' });
  });

  it('finds the GatewayError behind a context failure with no path', () => {
    const error = new GraphQLError('x', { originalError: new ForbiddenError('nope'), extensions: { code: 'FORBIDDEN' } });
    expect(format(error)).toEqual({ message: 'nope', extensions: { code: 'FORBIDDEN' } });
  });

  it('hides internal gateway errors and anything unknown behind a generic message', () => {
    const internal = new UpstreamContractError({ vendor: 'revio', operation: 'map id', retryable: false, vendorCode: 'MALFORMED_RECORD' });
    expect(format(wrap(internal))).toEqual({ message: GENERIC_MESSAGE, path: ['entities'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const leak = new Error('connect ECONNREFUSED 10.0.0.1:443 Bearer abc');
    expect(format(wrap(leak))).toEqual({ message: GENERIC_MESSAGE, path: ['entities'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    // A resolver that throws a GraphQLError with a code of its own still does not pass through.
    const sneaky = new GraphQLError('raw vendor body', { path: ['x'], originalError: new Error('raw'), extensions: { code: 'BAD_USER_INPUT' } });
    expect(format(sneaky).message).toBe(GENERIC_MESSAGE);
  });

  it('keeps GraphQL request errors and their Apollo codes, never a stacktrace', () => {
    const validation = new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = format(validation);
    expect(formatted).toEqual({ message: 'Cannot query field "nope" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatted.extensions).not.toHaveProperty('stacktrace');
  });
});
