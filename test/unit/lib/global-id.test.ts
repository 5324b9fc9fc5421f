import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { expectGlobalId, fromGlobalId, toGlobalId } from '../../../src/lib/global-id.js';

describe('global ids', () => {
  it('round-trip type and parts, including separators inside parts', () => {
    const id = toGlobalId('ExternalLink', 'REVIO', 'acmetel', 'a:b/c');
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromGlobalId(id)).toEqual({ type: 'ExternalLink', parts: ['REVIO', 'acmetel', 'a:b/c'] });
  });

  it.each(['', 'not base64!', Buffer.from('Unknown:x').toString('base64url'), Buffer.from('Entity').toString('base64url'), Buffer.from('Entity:%E0%A4%A').toString('base64url')])(
    'refuses %j',
    (id) => expect(fromGlobalId(id)).toBeUndefined(),
  );

  it('checks type and arity, failing with BAD_USER_INPUT', () => {
    const entity = toGlobalId('Entity', 'abc');
    expect(expectGlobalId(entity, 'Entity', 1)).toEqual(['abc']);
    expect(() => expectGlobalId(entity, 'Connection', 1)).toThrow(BadUserInputError);
    expect(() => expectGlobalId(entity, 'Entity', 2, 'entityId')).toThrow(/entityId must be a Entity id/);
  });
});
