import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BadUserInputError, UpstreamContractError, UpstreamTimeoutError } from '../../../src/errors.js';
import { formatError } from '../../../src/format-error.js';
import { errorCodeOf } from '../../../src/plugins/error-code-of.js';

const { GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

describe('errorCodeOf', () => {
  it('says what formatError sends, for every kind of error', () => {
    const errors: unknown[] = [
      new GraphQLError('boom', { originalError: new UpstreamTimeoutError({ vendor: 'zuora', operation: 'listEntities', retryable: true }) }),
      new GraphQLError('bad', { originalError: new BadUserInputError('first must be…') }),
      new GraphQLError('contract', { originalError: new UpstreamContractError({ vendor: 'm3ter', operation: 'listMappings', retryable: false }) }),
      new GraphQLError('Cannot query field "x" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      // graphql-js's own request errors without a code (too many variable errors).
      new GraphQLError('Too many errors processing variables, error limit reached. Execution aborted.'),
      new TypeError('a bug'),
      'not even an error',
    ];
    for (const error of errors) {
      const formatted = error instanceof Error ? (error as never) : { message: String(error) };
      expect(errorCodeOf(error)).toBe(formatError(formatted, error).extensions?.code);
    }
    expect(errors.map(errorCodeOf)).toEqual(['UPSTREAM_TIMEOUT', 'BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR', 'GRAPHQL_VALIDATION_FAILED', expect.any(String), 'INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR']);
  });
});
