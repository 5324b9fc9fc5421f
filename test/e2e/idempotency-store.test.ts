/**
 * The clientMutationId store as the gateway opens it: an SQLite file in the data folder by
 * default, a garbled record answered with a clear, non-retryable error (with a log line and a
 * metric) instead of a second write, and memory only when chosen, with a warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withGateway } from '../helpers/gateway.js';

const CREATE = `mutation($internalId: String!, $externalId: String!, $m: String) {
  createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: $internalId, externalSystem: "salesforce", externalId: $externalId, clientMutationId: $m }) { externalLink { id } }
}`;

describe('the default store: a file in INTERLINK_DATA_DIR', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'interlink-store-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const gw = withGateway({ env: { INTERLINK_DATA_DIR: dataDir } });

  it('answers a garbled record with IDEMPOTENCY_RECORD_INVALID, no vendor call, a log line and a metric', async () => {
    const customer = String(gw.sandbox.fixtures.facts.companies[0]!.customers[1]!.revioCustomerId);
    const variables = { internalId: customer, externalId: '0012DGARBLE1', m: 'garbled-1' };
    const first = await gw.post(CREATE, { variables });
    expect(first.body.errors).toBeUndefined();
    const raw = new Database(join(dataDir, 'idempotency.sqlite'));
    raw.prepare("UPDATE idempotency_v1 SET ref = '{\"vendor\":' WHERE state = 'done'").run();
    raw.close();

    const mark = gw.sandbox.ledger.mark;
    const replay = await gw.post(CREATE, { variables });
    expect(replay.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'IDEMPOTENCY_RECORD_INVALID', retryable: false }) })]);
    expect(gw.calls(mark)).toBe(0);
    expect(gw.logs().filter((line) => /clientMutationId record cannot be read/.test(line.msg))).toEqual([expect.objectContaining({ store: 'sqlite' })]);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/^interlink_idempotency_invalid_records_total\{store="sqlite"\} 1$/m);
  });
});

describe('an empty clientMutationId', () => {
  const gw = withGateway();

  it('is refused as BAD_USER_INPUT before any vendor call, for a create and for linkEverywhere', async () => {
    const customer = String(gw.sandbox.fixtures.facts.companies[0]!.customers[1]!.revioCustomerId);
    const mark = gw.sandbox.ledger.mark;
    const create = await gw.post(CREATE, { variables: { internalId: customer, externalId: '0012DEMPTY1', m: '' } });
    expect(create.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/must not be empty; leave clientMutationId out/) });
    expect(create.status).toBe(400);
    const everywhere = await gw.post(
      'mutation($c: String!) { linkEverywhere(input: { externalSystem: "salesforce", externalId: "0012DEMPTY2", revio: { internalType: "CUSTOMER", internalId: $c }, clientMutationId: " " }) { status } }',
      { variables: { c: customer } },
    );
    expect(everywhere.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gw.calls(mark)).toBe(0);
  });
});

describe('memory, when chosen', () => {
  const gw = withGateway({ env: { INTERLINK_IDEMPOTENCY_STORE: 'memory' } });

  it('warns at start that a replay after a restart may write again', () => {
    expect(gw.logs().filter((line) => line.level === 40 && /INTERLINK_IDEMPOTENCY_STORE=memory/.test(line.msg))).toHaveLength(1);
  });
});
