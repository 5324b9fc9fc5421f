import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const LINK = 'id provider nativeId version internal { system type id } external { system type id }';

describe('mutations', () => {
  const gateway = withGateway();

  it('initiates, accepts and disconnects a connection; deny and a repeated transition fail', async () => {
    const tenant = gateway.sandbox.fixtures.zuora.tenants[0]!;
    const [a, b] = [tenant.entities[1]!.id, tenant.entities[2]!.id];
    // Clear any live pair between a and b first, so the fixture's state does not matter.
    const existing = tenant.connections.find((c) => [c.sourceEntityId, c.targetEntityId].sort().join() === [a, b].sort().join() && c.status !== 'Disconnected');
    const [source, target] = existing ? [existing.targetEntityId, existing.sourceEntityId] : [a, b];
    if (existing?.status === 'Connected') {
      await gateway.execute('mutation($c: ID!, $e: ID!) { disconnectConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { status } } }', { c: existing.id, e: existing.sourceEntityId });
    } else if (existing?.status === 'Pending') {
      await gateway.execute('mutation($c: ID!, $e: ID!) { denyConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { status } } }', { c: existing.id, e: existing.targetEntityId });
    }

    const mark = gateway.sandbox.ledger.mark;
    const initiate = 'mutation($s: ID!, $t: ID!, $m: String) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t, clientMutationId: $m }) { clientMutationId connection { id connectionId status direction source { name } target { name } } } }';
    const created = await gateway.execute(initiate, { s: source, t: target, m: 'init-1' });
    expect(created.errors).toBeUndefined();
    expect(created.data!.initiateConnection).toMatchObject({ clientMutationId: 'init-1', connection: { status: 'PENDING', direction: null } });
    const key = gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora', method: 'POST', path: 'entity-connections' })[0]!.headers['idempotency-key'];
    // The same clientMutationId replays from the gateway's record: same connection, no second POST.
    const replay = await gateway.execute(initiate, { s: source, t: target, m: 'init-1' });
    expect(replay.data!.initiateConnection.connection.connectionId).toBe(created.data!.initiateConnection.connection.connectionId);
    expect(gateway.sandbox.ledger.list({ sinceSeq: mark, vendor: 'zuora', method: 'POST', path: 'entity-connections' }).map((e) => e.headers['idempotency-key'])).toEqual([key]);

    const id = created.data!.initiateConnection.connection.id;
    const accept = await gateway.execute('mutation($c: ID!, $e: ID!) { acceptConnection(input: { connectionId: $c, actingEntityId: $e, clientMutationId: "acc" }) { clientMutationId connection { status direction } } }', { c: id, e: target });
    expect(accept.errors).toBeUndefined();
    expect(accept.data!.acceptConnection).toEqual({ clientMutationId: 'acc', connection: { status: 'CONNECTED', direction: 'INBOUND' } });

    const again = await gateway.execute('mutation($c: ID!, $e: ID!) { acceptConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { status } } }', { c: id, e: target });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', upstream: { vendor: 'zuora', retryable: false } });

    const disconnect = await gateway.execute('mutation($c: ID!, $e: ID!) { disconnectConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { status direction } } }', { c: created.data!.initiateConnection.connection.connectionId, e: source });
    expect(disconnect.data!.disconnectConnection.connection).toEqual({ status: 'DISCONNECTED', direction: 'OUTBOUND' });

    const pending = await gateway.execute(initiate, { s: source, t: target, m: 'init-2' });
    const deny = await gateway.execute('mutation($c: ID!, $e: ID!) { denyConnection(input: { connectionId: $c, actingEntityId: $e }) { connection { status } } }', { c: pending.data!.initiateConnection.connection.id, e: target });
    expect(deny.data!.denyConnection.connection.status).toBe('DISCONNECTED');
  });

  it('refuses bad connection input and another tenant\'s entity before any call', async () => {
    const other = gateway.sandbox.fixtures.zuora.tenants[1]!.entities[0]!.id;
    const own = gateway.sandbox.fixtures.zuora.tenants[0]!.entities[0]!.id;
    const mark = gateway.sandbox.ledger.mark;
    const bad = await gateway.execute('mutation { acceptConnection(input: { connectionId: "zzz", actingEntityId: "x" }) { connection { id } } }');
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/connectionId must be a Connection id/) });
    const foreign = await gateway.execute('mutation($s: ID!, $t: ID!) { initiateConnection(input: { sourceEntityId: $s, targetEntityId: $t }) { connection { id } } }', { s: other, t: own });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(gateway.calls(mark)).toBe(0);
  });

  it('creates, updates and deletes an m3ter link; a stale version is a CONFLICT', async () => {
    const customer = gateway.sandbox.fixtures.facts.companies[0]!.customers[2]!;
    const create = await gateway.execute(`mutation($id: String!) { createExternalLink(input: { provider: M3TER, internalType: "Account", internalId: $id, externalSystem: "SALESFORCE", externalTable: "Opportunity", externalId: "006XYZ", clientMutationId: "c1" }) { clientMutationId externalLink { ${LINK} } } }`, { id: customer.m3terAccountId });
    expect(create.errors).toBeUndefined();
    const link = create.data!.createExternalLink.externalLink;
    // m3ter's own spelling, so its exact filters find the mapping.
    expect(link).toMatchObject({ provider: 'M3TER', version: 1, external: { system: 'Salesforce', type: 'Opportunity', id: '006XYZ' } });

    const update = await gateway.execute(`mutation($id: ID!) { updateExternalLink(input: { id: $id, expectedVersion: 1, externalId: "006ABC" }) { externalLink { ${LINK} } } }`, { id: link.id });
    expect(update.errors).toBeUndefined();
    expect(update.data!.updateExternalLink.externalLink).toMatchObject({ version: 2, external: { id: '006ABC', type: 'Opportunity' } });

    const stale = await gateway.execute('mutation($id: ID!) { updateExternalLink(input: { id: $id, expectedVersion: 1, externalId: "006DEF" }) { externalLink { id } } }', { id: link.id });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', upstream: { vendor: 'm3ter' } });

    const noVersion = gateway.sandbox.ledger.mark;
    const missing = await gateway.execute('mutation($id: ID!) { updateExternalLink(input: { id: $id, externalId: "x" }) { externalLink { id } } }', { id: link.id });
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/expectedVersion is required/) });
    const noTable = await gateway.execute('mutation { createExternalLink(input: { provider: M3TER, internalType: "Account", internalId: "a", externalSystem: "Salesforce", externalId: "b" }) { externalLink { id } } }');
    expect(noTable.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/externalTable is required for provider M3TER/) });
    expect(gateway.calls(noVersion)).toBe(0);

    const del = await gateway.execute('mutation($id: ID!) { deleteExternalLink(input: { id: $id, clientMutationId: "d1" }) { clientMutationId deletedId } }', { id: link.id });
    expect(del.data!.deleteExternalLink).toEqual({ clientMutationId: 'd1', deletedId: link.id });
    const gone = await gateway.execute('query($id: ID!) { externalLink(id: $id) { id } }', { id: link.id });
    expect(gone.errors).toBeUndefined();
    expect(gone.data!.externalLink).toBeNull();
    const again = await gateway.execute('mutation($id: ID!) { deleteExternalLink(input: { id: $id }) { deletedId } }', { id: link.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('creates, updates and deletes a Rev.io link by system and type names', async () => {
    const customer = gateway.sandbox.fixtures.facts.companies[0]!.customers[3]!;
    const create = await gateway.execute(`mutation($id: String!) { createExternalLink(input: { provider: REVIO, internalType: "customer", internalId: $id, externalSystem: "salesforce", externalId: "0012D0000NEW01" }) { externalLink { ${LINK} createdAt } } }`, { id: String(customer.revioCustomerId) });
    expect(create.errors).toBeUndefined();
    const link = create.data!.createExternalLink.externalLink;
    expect(link).toMatchObject({ provider: 'REVIO', version: null, internal: { system: 'Rev.io', type: 'CUSTOMER' }, external: { system: 'SALESFORCE', type: null, id: '0012D0000NEW01' } });
    expect(link.createdAt).toEqual(expect.any(String));

    const lookup = await gateway.execute('{ resolveExternalId(system: "Salesforce", id: "0012D0000NEW01") { id } }');
    expect(lookup.data!.resolveExternalId).toEqual([{ id: link.id }]);

    const update = await gateway.execute(`mutation($id: ID!) { updateExternalLink(input: { id: $id, externalId: "0012D0000NEW02" }) { externalLink { ${LINK} } } }`, { id: link.id });
    expect(update.errors).toBeUndefined();
    expect(update.data!.updateExternalLink.externalLink.external.id).toBe('0012D0000NEW02');

    const mark = gateway.sandbox.ledger.mark;
    const unknown = await gateway.execute('mutation { createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: "1", externalSystem: "NETSUITE", externalId: "x" }) { externalLink { id } } }');
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/externalSystem must name a Rev.io integration system \(SALESFORCE, ZUORA, M3TER\), got "NETSUITE"/) });
    const badType = await gateway.execute('mutation { createExternalLink(input: { provider: REVIO, internalType: "WIDGET", internalId: "1", externalSystem: "SALESFORCE", externalId: "x" }) { externalLink { id } } }');
    expect(badType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gateway.calls(mark)).toBe(0);

    const del = await gateway.execute('mutation($id: ID!) { deleteExternalLink(input: { id: $id }) { deletedId } }', { id: link.id });
    expect(del.errors).toBeUndefined();
    const gone = await gateway.execute('query($id: ID!) { node(id: $id) { id } }', { id: link.id });
    expect(gone.data!.node).toBeNull();
  });
});
