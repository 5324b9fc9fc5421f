import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFormatError, formatError } from '../../src/format-error.js';

const format = (error: GraphQLError, formatter = formatError): GraphQLFormattedError => formatter({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', ...error.extensions } }, error);

describe('createFormatError', () => {
  const validation = new GraphQLError('Cannot query field "entitie" on type "Query". Did you mean "entities" or "entity"?', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  const coercion = new GraphQLError('Variable "$p" got invalid value "M3TR" at "p"; Value "M3TR" does not exist in "Provider" enum. Did you mean the enum value "M3TER"?', { extensions: { code: 'BAD_USER_INPUT' } });

  it('strips "Did you mean …?" from request errors when suggestions are off', () => {
    const strict = createFormatError({ suggestions: false });
    expect(format(validation, strict).message).toBe('Cannot query field "entitie" on type "Query".');
    expect(format(coercion, strict).message).toBe('Variable "$p" got invalid value "M3TR" at "p"; Value "M3TR" does not exist in "Provider" enum.');
  });

  it('keeps them when suggestions are on (introspection on: the schema is public anyway)', () => {
    expect(format(validation, createFormatError({ suggestions: true })).message).toContain('Did you mean "entities"');
  });

  it("reports graphql-js's own code-less request errors as BAD_REQUEST, not as masked internal errors", () => {
    const tooMany = new GraphQLError('Too many errors processing variables, error limit reached. Execution aborted.');
    expect(format(tooMany)).toEqual({ message: tooMany.message, extensions: { code: 'BAD_REQUEST' } });
    // With a path it came from a field, so it stays masked.
    const fromField = new GraphQLError('boom', { path: ['entities'] });
    expect(format(fromField).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
