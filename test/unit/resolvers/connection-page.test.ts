import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { toGlobalId } from '../../../src/lib/global-id.js';
import type { Connection } from '../../../src/models.js';
import { connectionsPage } from '../../../src/resolvers/connection-page.js';
import { connectionIdArg, entityIdArg, linkIdArg } from '../../../src/resolvers/ids.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const connections: Connection[] = [
  { id: '1'.repeat(32), status: 'CONNECTED', sourceEntityId: A, targetEntityId: B },
  { id: '2'.repeat(32), status: 'PENDING', sourceEntityId: C, targetEntityId: A },
  { id: '3'.repeat(32), status: 'DISCONNECTED', sourceEntityId: A, targetEntityId: C },
];

describe('connectionsPage', () => {
  it('filters by direction relative to the entity and by status', () => {
    expect(connectionsPage(connections, A, { direction: 'OUTBOUND' }).nodes.map((c) => c.id[0])).toEqual(['1', '3']);
    expect(connectionsPage(connections, A, { direction: 'INBOUND' }).nodes.map((c) => c.id[0])).toEqual(['2']);
    expect(connectionsPage(connections, A, { status: 'PENDING' }).nodes.map((c) => c.viewpointEntityId)).toEqual([A]);
  });

  it('pages to the end, each connection once, and refuses a cursor of another entity', () => {
    const first = connectionsPage(connections, A, { first: 2 });
    const second = connectionsPage(connections, A, { first: 2, after: first.pageInfo.endCursor });
    expect([...first.nodes, ...second.nodes].map((c) => c.id)).toEqual(connections.map((c) => c.id));
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(() => connectionsPage(connections, B, { after: first.pageInfo.endCursor })).toThrow(BadUserInputError);
  });
});

describe('id arguments', () => {
  it('accepts global ids and Zuora ids, and says what was expected otherwise', () => {
    expect(entityIdArg(toGlobalId('Entity', A))).toBe(A);
    expect(entityIdArg('AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA')).toBe(A);
    expect(() => entityIdArg(toGlobalId('Connection', A, B))).toThrow(/id must be an Entity id or a 32-hex Zuora entity id/);
    expect(connectionIdArg(toGlobalId('Connection', A, B))).toEqual({ connectionId: B, sourceEntityId: A });
    expect(linkIdArg(toGlobalId('ExternalLink', 'REVIO', 'acme', '12'))).toEqual({ provider: 'REVIO', tenant: 'acme', nativeId: '12' });
    expect(() => linkIdArg(toGlobalId('ExternalLink', 'REVIO', 'acme', 'x'))).toThrow(BadUserInputError);
    expect(() => linkIdArg(toGlobalId('ExternalLink', 'NETSUITE', 'acme', '1'))).toThrow(BadUserInputError);
  });
});
