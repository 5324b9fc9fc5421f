/**
 * Two gateway replicas on one Redis and one sandbox: a write replayed on the other replica, or
 * sent to both at once, has one upstream effect, counted in the sandbox; and with Redis away,
 * such a write is refused as retryable instead of made without its record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const KEY = 'ilk_test_replicas_0123456789abcdefghij';
const CREATE = `mutation($i: CreateExternalLinkInput!) { createExternalLink(input: $i) { externalLink { nativeId } } }`;

describe('replicas sharing idempotency records through Redis', () => {
  let redis: TestRedis;
  let sandbox: Sandbox;
  const replicas: { gateway: Gateway; url: string }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox({ limits: 'off' });
    const record = {
      id: 'sync',
      hash: hashApiKey(KEY),
      scopes: ['read', 'write'],
      tenants: { zuora: [], m3ter: [sandbox.tenants.m3ter[0]!.orgId], revio: [sandbox.tenants.revio[0]!.clientCode] },
    };
    for (let i = 0; i < 2; i += 1) {
      const config = withSandboxUpstreams(loadConfig({ INTERLINK_PORT: '0', INTERLINK_API_KEYS_FILE: 'k', INTERLINK_REDIS_URL: redis.url }, () => JSON.stringify([record])), sandbox);
      const gateway = await createGateway({ config, logger: createLogger({ level: 'silent' }), graphiql: false, drainGraceMs: 1_000 });
      replicas.push({ gateway, url: await gateway.listen() });
    }
  });
  afterAll(async () => {
    for (const { gateway } of replicas) await gateway.close();
    await sandbox?.close();
    await redis?.stop();
  });

  const post = async (replica: number, variables: Record<string, unknown>) => {
    const response = await fetch(`${replicas[replica]!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: CREATE, variables }),
    });
    return (await response.json()) as { data?: any; errors?: { extensions: { code: string; retryable?: boolean } }[] };
  };
  const input = (externalId: string, clientMutationId: string) => ({
    i: { provider: 'REVIO', internalType: 'CUSTOMER', internalId: String(sandbox.fixtures.facts.companies[0]!.customers[0]!.revioCustomerId), externalSystem: 'SALESFORCE', externalId, clientMutationId },
  });
  const posts = (mark: number) => sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'POST' }).length;

  it('answers a replay on the other replica from the first write: one POST, one key link', async () => {
    const mark = sandbox.ledger.mark;
    const first = await post(0, input('001REPLICA1', 'replica-1'));
    const replay = await post(1, input('001REPLICA1', 'replica-1'));
    expect(first.errors).toBeUndefined();
    expect(replay.data).toEqual(first.data);
    expect(posts(mark)).toBe(1);
  });

  it('makes one key link for ten duplicates sent round-robin to both replicas at once', async () => {
    const mark = sandbox.ledger.mark;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2, input('001REPLICA2', 'replica-2'))));
    expect(answers.every((answer) => answer.errors === undefined)).toBe(true);
    expect(new Set(answers.map((answer) => answer.data.createExternalLink.externalLink.nativeId)).size).toBe(1);
    expect(posts(mark)).toBe(1);
  });

  it('refuses a write with a clientMutationId as retryable while Redis is away, making no vendor call', async () => {
    await redis.stop();
    try {
      const mark = sandbox.ledger.mark;
      const answer = await post(0, input('001REPLICA3', 'replica-3'));
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_STORE_UNAVAILABLE', retryable: true });
      expect(posts(mark)).toBe(0);
      // /readyz says so, and stays 200: reads go on without Redis.
      const readiness = await fetch(`${replicas[1]!.url}/readyz`);
      expect(readiness.status).toBe(200);
      expect(((await readiness.json()) as any).upstreams.redis).toMatchObject({ status: 'degraded', code: 'IDEMPOTENCY_STORE_UNAVAILABLE' });
    } finally {
      await redis.start();
    }
  });
});
