/**
 * Three gateway replicas on one Redis and one sandbox with the vendors' own limits, a client
 * spreading requests round-robin: the replicas spend one budget per vendor tenant (the ledger
 * shows m3ter's 50/s per org kept while three times that is offered), fetch one token per
 * credential, answer one write sent to all three once, and ride out a Redis restart with
 * neither duplicate writes nor 429s, back on the shared budget without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type LedgerEntry, type Sandbox } from '../../sandbox/index.js';
import { hashApiKey } from '../../src/callers/hash-api-key.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { withSandboxUpstreams } from '../../src/sandbox-mode.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const KEY = 'ilk_test_replicas3_0123456789abcdefghij';
const TOKEN_KEY = 'a'.repeat(64);
const REPLICAS = 3;
/** m3ter's published limit; the gateway's own default is 40/s per org. */
const M3TER_LIMIT_PER_SECOND = 50;
const M3TER_READ = `query($x: String!) { externalLinks(filter: { provider: M3TER, externalId: $x }, first: 1) { nodes { id } } }`;
const ZUORA_READ = `{ entities(first: 1) { nodes { id } } }`;
const CREATE = `mutation($i: CreateExternalLinkInput!) { createExternalLink(input: $i) { externalLink { id nativeId } } }`;

interface Answer {
  data?: any;
  errors?: { message: string; extensions: { code: string; retryable?: boolean } }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most entries whose times fall within any `windowMs`, as the vendor's limiter would count them. */
function peakInWindow(entries: readonly LedgerEntry[], windowMs: number): number {
  const times = entries.map((entry) => Date.parse(entry.time)).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while (times[last]! - times[first]! >= windowMs) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

describe('three replicas on one Redis', () => {
  let redis: TestRedis;
  let sandbox: Sandbox;
  let gateways: Gateway[] = [];
  let urls: string[] = [];
  let orgId: string;
  let sent = 0;

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox({ limits: 'vendor' });
    orgId = sandbox.tenants.m3ter[0]!.orgId;
    const record = {
      id: 'replicas',
      hash: hashApiKey(KEY),
      scopes: ['read', 'write'],
      tenants: { zuora: [sandbox.tenants.zuora[0]!.entityIds[0]!], m3ter: [orgId], revio: [sandbox.tenants.revio[0]!.clientCode] },
    };
    const env = { INTERLINK_PORT: '0', INTERLINK_API_KEYS_FILE: 'k', INTERLINK_REDIS_URL: redis.url, INTERLINK_REPLICAS: String(REPLICAS), INTERLINK_SHARED_TOKEN_KEY: TOKEN_KEY,
      // Every read here is the same m3ter list: shared in flight, fewer would reach the vendor than the limits under test.
      INTERLINK_SHARE_VENDOR_READS: 'off' };
    // All at once, as a deploy starts them.
    gateways = await Promise.all(
      Array.from({ length: REPLICAS }, () =>
        createGateway({ config: withSandboxUpstreams(loadConfig(env, () => JSON.stringify([record])), sandbox), logger: createLogger({ level: 'silent' }), graphiql: false, drainGraceMs: 1_000 }),
      ),
    );
    urls = await Promise.all(gateways.map((gateway) => gateway.listen()));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await sandbox?.close();
    await redis?.stop();
  });

  /** Round-robin over the replicas unless one is named. */
  const post = async (query: string, variables: Record<string, unknown> = {}, replica = sent++ % REPLICAS): Promise<Answer> => {
    const response = await fetch(`${urls[replica]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  const m3terCalls = (since: number) => sandbox.ledger.list({ sinceSeq: since, vendor: 'm3ter' }).filter((entry) => entry.tenant !== undefined && !entry.path.includes('oauth'));
  const tokenCalls = (since: number) => sandbox.ledger.list({ sinceSeq: since, method: 'POST', path: 'oauth/token' });
  const limited = (since: number) => sandbox.ledger.list({ sinceSeq: since }).filter((entry) => entry.status === 429);
  /** Sends `perSecond` m3ter reads a second for `ms`, round-robin, each for a distinct record. */
  const offerM3terReads = async (perSecond: number, ms: number, tag: string): Promise<Answer[]> => {
    const answers: Promise<Answer>[] = [];
    const started = Date.now();
    for (let i = 0; Date.now() - started < ms; i += 1) {
      answers.push(post(M3TER_READ, { x: `${tag}-${i}` }));
      const due = started + ((i + 1) * 1000) / perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    return Promise.all(answers);
  };
  const sharedBudgetCalls = async (gateway: Gateway): Promise<number> => {
    const text = await gateway.metrics.render();
    const line = text.split('\n').find((row) => row.startsWith('interlink_shared_budget_wait_seconds_count{vendor="m3ter",mode="shared"}'));
    return Number(line?.split(' ')[1] ?? 0);
  };

  it('fetches one token per vendor credential however many replicas ask at once', async () => {
    const mark = sandbox.ledger.mark;
    const answers = await Promise.all(urls.flatMap((_, replica) => [post(M3TER_READ, { x: 'token-race' }, replica), post(ZUORA_READ, {}, replica)]));
    expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
    const tokens = tokenCalls(mark);
    expect(tokens.filter((entry) => entry.vendor === 'm3ter')).toHaveLength(1);
    expect(tokens.filter((entry) => entry.vendor === 'zuora')).toHaveLength(1);
    // Stored sealed: no token, nor the client id, in any Redis key or value.
    const { Redis } = await import('ioredis');
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys('interlink:v1:token:*');
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (const key of keys.filter((name) => !name.endsWith(':lock'))) {
        const stored = await raw.hgetall(key);
        expect(Object.keys(stored).sort()).toEqual(['ct', 'fp']);
        expect(JSON.stringify(stored)).not.toMatch(/Bearer|access_token|sandbox/i);
      }
      expect(keys.join()).not.toContain(sandbox.tenants.zuora[0]!.clientId);
    } finally {
      raw.disconnect();
    }
  });

  it('keeps m3ter within 50 calls a second per org across the replicas while three times that is offered', async () => {
    const mark = sandbox.ledger.mark;
    const started = Date.now();
    const answers = await offerM3terReads(3 * M3TER_LIMIT_PER_SECOND, 2_000, 'rate');
    const elapsedMs = Date.now() - started;
    expect(answers.filter((answer) => answer.errors !== undefined)).toEqual([]);
    const calls = m3terCalls(mark);
    // One m3ter call per read, every one served, none refused.
    expect(calls).toHaveLength(answers.length);
    expect(limited(mark)).toEqual([]);
    expect(peakInWindow(calls, 1_000)).toBeLessThanOrEqual(M3TER_LIMIT_PER_SECOND);
    const upstreamPerSecond = (calls.length * 1000) / elapsedMs;
    // Offered about 150/s; served at the gateway's 40/s, whichever replica a read reached.
    console.info(`m3ter org: offered ${((answers.length * 1000) / 2_000).toFixed(0)}/s, upstream ${upstreamPerSecond.toFixed(1)}/s over ${elapsedMs} ms, peak ${peakInWindow(calls, 1_000)} in any second`);
    expect(upstreamPerSecond).toBeLessThanOrEqual(M3TER_LIMIT_PER_SECOND);
  });

  it('makes one write for a clientMutationId sent to the three replicas at once, and gives all three the same answer', async () => {
    const mark = sandbox.ledger.mark;
    const input = createInput('001REPLICAS3A', 'three-at-once');
    const answers = await Promise.all(urls.map((_, replica) => post(CREATE, input, replica)));
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'POST' })).toHaveLength(1);
  });

  it('rides out a Redis restart: reads go on within the limit, writes are refused as retryable and made once, and the shared budget comes back', async () => {
    const mark = sandbox.ledger.mark;
    const writes = Array.from({ length: 6 }, (_, i) => `restart-${i}`);
    const sharedBefore = await Promise.all(gateways.map(sharedBudgetCalls));
    const refusals: string[] = [];
    /** A client that retries a refused write with the same clientMutationId, as the error code tells it to. */
    const writeUntilDone = async (id: string, i: number): Promise<Answer> => {
      for (let attempt = 0; ; attempt += 1) {
        const answer = await post(CREATE, createInput(`001RESTART${i}`, id));
        const code = answer.errors?.[0]?.extensions.code;
        if (code === undefined || attempt === 60) return answer;
        expect(answer.errors?.[0]?.extensions.retryable).toBe(true);
        refusals.push(code);
        await sleep(100);
      }
    };
    const reads = offerM3terReads(60, 4_000, 'restart');
    const written = (async () => {
      const done: Promise<Answer>[] = [];
      for (const [i, id] of writes.entries()) {
        done.push(writeUntilDone(id, i));
        await sleep(600);
      }
      return Promise.all(done);
    })();
    await sleep(800);
    await redis.stop();
    await sleep(1_500);
    await redis.start();

    const [readAnswers, writeAnswers] = await Promise.all([reads, written]);
    expect(readAnswers.filter((answer) => answer.errors !== undefined)).toEqual([]);
    expect(writeAnswers.map((answer) => answer.errors)).toEqual(writes.map(() => undefined));
    // Redis was away for some of them: refused as retryable, never written without a record.
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set(['IDEMPOTENCY_STORE_UNAVAILABLE']));
    expect(sandbox.ledger.list({ sinceSeq: mark, vendor: 'revio', method: 'POST' })).toHaveLength(writes.length);
    // Each replica kept to its share while Redis was away, so the org's limit held throughout.
    expect(limited(mark)).toEqual([]);
    expect(peakInWindow(m3terCalls(mark), 1_000)).toBeLessThanOrEqual(M3TER_LIMIT_PER_SECOND);
    console.info(`Redis restart: ${readAnswers.length} reads all answered, m3ter peak ${peakInWindow(m3terCalls(mark), 1_000)} in any second, ${refusals.length} retryable write refusals, ${writes.length} writes → ${writes.length} POSTs, 0 429s`);

    // Back on the shared budget, without a restart: every replica spends it again.
    for (let i = 0; i < 50 && !(await Promise.all(urls.map((url) => fetch(`${url}/readyz`).then((r) => r.json() as Promise<any>)))).every((body) => body.upstreams.redis.status === 'ok'); i += 1) await sleep(100);
    const after = await Promise.all(urls.map((_, replica) => post(M3TER_READ, { x: 'after-restart' }, replica)));
    expect(after.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    const sharedAfter = await Promise.all(gateways.map(sharedBudgetCalls));
    sharedAfter.forEach((count, replica) => expect(count).toBeGreaterThan(sharedBefore[replica]!));
    const replay = await post(CREATE, createInput('001RESTART0', writes[0]!));
    expect(replay.errors).toBeUndefined();
  });

  function createInput(externalId: string, clientMutationId: string) {
    return {
      i: { provider: 'REVIO', internalType: 'CUSTOMER', internalId: String(sandbox.fixtures.facts.companies[0]!.customers[0]!.revioCustomerId), externalSystem: 'SALESFORCE', externalId, clientMutationId },
    };
  }
});
