/**
 * Exactly once across a restart, in the default configuration (no Redis): the gateway runs as its
 * own process against a sandbox that outlives it, is stopped with SIGTERM or killed with SIGKILL,
 * and started again on the same data folder. Replays of the writes made before answer what those
 * writes made, and the vendors hold one record per clientMutationId, counted at the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { gatewayHome, startGatewayProcess, type GatewayProcessHome } from '../helpers/gateway-process.js';

const REVIO = `mutation($internalId: String!, $externalId: String!, $m: String) {
  createExternalLink(input: { provider: REVIO, internalType: "CUSTOMER", internalId: $internalId, externalSystem: "salesforce", externalId: $externalId, clientMutationId: $m }) { externalLink { id } }
}`;
const M3TER = `mutation($internalId: String!, $externalId: String!, $m: String) {
  createExternalLink(input: { provider: M3TER, internalType: "Account", internalId: $internalId, externalSystem: "salesforce", externalTable: "Account", externalId: $externalId, clientMutationId: $m }) { externalLink { id } }
}`;
const FIND = 'query($e: String!) { externalLinks(filter: { externalId: $e }, first: 10) { nodes { id } } }';

let sandbox: Sandbox;
let home: GatewayProcessHome;
let revioCustomer: string;
let m3terAccount: string;

beforeAll(async () => {
  sandbox = await startSandbox({ limits: 'off' });
  home = gatewayHome(sandbox);
  const company = sandbox.fixtures.facts.companies[0]!;
  revioCustomer = String(company.customers[1]!.revioCustomerId);
  m3terAccount = company.customers[2]!.m3terAccountId;
}, 60_000);

afterAll(async () => {
  home?.remove();
  await sandbox?.close();
});

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${home.key}` }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: await response.json() };
}

interface Write {
  query: string;
  variables: Record<string, unknown>;
}

function writes(tag: string): Write[] {
  return Array.from({ length: 25 }, (_, i) => [
    { query: REVIO, variables: { internalId: revioCustomer, externalId: `0012D${tag}R${i}`, m: `${tag}-revio-${i}` } },
    { query: M3TER, variables: { internalId: m3terAccount, externalId: `006${tag}M${i}`, m: `${tag}-m3ter-${i}` } },
  ]).flat();
}

/** Successful creates at the vendors since `mark`. */
function creates(mark: number): number {
  return sandbox.ledger.list({ sinceSeq: mark, method: 'POST' }).filter((entry) => /IntegrationKeyLink|externalmappings/i.test(entry.path) && entry.status >= 200 && entry.status < 300).length;
}

describe.each(['SIGTERM', 'SIGKILL'] as const)('a gateway restarted with %s', (signal) => {
  it('replays 50 writes made before the restart as they were made: 0 new creates, one record each', async () => {
    const batch = writes(signal === 'SIGTERM' ? 'T' : 'K');
    const before = await startGatewayProcess(home);
    const mark = sandbox.ledger.mark;
    const first = await Promise.all(batch.map((write) => post(before.url, write.query, write.variables)));
    expect(first.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? answer.status)).toEqual(batch.map(() => 200));
    expect(creates(mark)).toBe(50);
    await before.stop(signal);

    const after = await startGatewayProcess(home);
    try {
      const replayMark = sandbox.ledger.mark;
      const replays = await Promise.all(batch.map((write) => post(after.url, write.query, write.variables)));
      expect(replays.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? answer.status)).toEqual(batch.map(() => 200));
      expect(replays.map((answer) => answer.body.data.createExternalLink.externalLink.id)).toEqual(first.map((answer) => answer.body.data.createExternalLink.externalLink.id));
      expect(creates(replayMark)).toBe(0);
      for (const write of batch) {
        const found = await post(after.url, FIND, { e: write.variables.externalId });
        expect(found.body.data.externalLinks.nodes).toHaveLength(1);
      }
    } finally {
      await after.stop('SIGTERM');
    }
  }, 120_000);
});

describe('a gateway killed while a create hangs after the vendor applied it', () => {
  it('settles the replay on the next start by reading the vendor: the one record, no second create', async () => {
    const before = await startGatewayProcess(home, { INTERLINK_UPSTREAM_ATTEMPT_TIMEOUT_MS: '30000', INTERLINK_UPSTREAM_DEADLINE_MS: '60000' });
    sandbox.setFaults('revio', { rules: [{ kind: 'apply-then-hang', match: { method: 'POST', path: 'IntegrationKeyLink' }, times: 1, hangMs: 60_000 }] });
    const write = { internalId: revioCustomer, externalId: '0012DHANG1', m: 'hang-then-kill-1' };
    const mark = sandbox.ledger.mark;
    const pending = post(before.url, REVIO, write).catch(() => undefined);
    // The vendor has applied the create; its answer never comes. Then the process dies.
    for (let waited = 0; creates(mark) === 0 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(creates(mark)).toBe(1);
    await before.stop('SIGKILL');
    await pending;
    sandbox.clearFaults();

    const after = await startGatewayProcess(home);
    try {
      const replay = await post(after.url, REVIO, write);
      expect(replay.body.errors).toBeUndefined();
      expect(creates(mark)).toBe(1);
      const found = await post(after.url, FIND, { e: '0012DHANG1' });
      expect(found.body.data.externalLinks.nodes.map((node: { id: string }) => node.id)).toEqual([replay.body.data.createExternalLink.externalLink.id]);
    } finally {
      await after.stop('SIGTERM');
    }
  }, 120_000);
});
