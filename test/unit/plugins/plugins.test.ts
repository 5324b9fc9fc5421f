import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/callers/caller.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { auditPlugin } from '../../../src/plugins/audit-plugin.js';
import { metricsPlugin } from '../../../src/plugins/metrics-plugin.js';
import { requestLogPlugin } from '../../../src/plugins/request-log-plugin.js';
import { scopePlugin } from '../../../src/plugins/scope-plugin.js';
import { captureLogs } from '../observability/capture-logs.js';
import { calls, tinyServer, type TinyContext } from './tiny-server.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-token-body';
const PASSWORD = 'hunter2-correct-horse';
const API_KEY = 'ilk_live_0123456789abcdefghijklmnop';
const SECRETS = [TOKEN, PASSWORD, API_KEY];
const SECRET_HEADERS = { authorization: `Bearer ${API_KEY}`, 'x-api-key': API_KEY, cookie: `session=${TOKEN}`, 'content-type': 'application/json' };

const WRITER: Caller = { keyId: 'writer', scopes: ['read', 'write'], tenants: { zuora: [], m3ter: [], revio: [] } };
const READER: Caller = { keyId: 'reader', scopes: ['read'], tenants: { zuora: [], m3ter: [], revio: [] } };

let logs: ReturnType<typeof captureLogs>;
let gateway: Awaited<ReturnType<typeof tinyServer>>;
let metrics: ReturnType<typeof createMetrics>;

beforeEach(async () => {
  logs = captureLogs();
  // Each plugin its own clock: every call moves it 12.5 ms on.
  const clockFrom = () => {
    let clock = 0;
    return () => (clock += 12.5);
  };
  const logger = createLogger({ destination: logs.destination, level: 'debug' });
  metrics = createMetrics({ processMetrics: false });
  calls.resolvers = 0;
  gateway = await tinyServer([
    scopePlugin<TinyContext>({ callerOf: (context) => context.caller, decisionOf: () => undefined }),
    requestLogPlugin<TinyContext>({ logger, now: clockFrom() }),
    auditPlugin<TinyContext>({ logger }),
    metricsPlugin<TinyContext>({ metrics, now: clockFrom() }),
  ]);
});

afterEach(async () => {
  await gateway.server.stop();
  // The point of the suite: whatever ran, no line carries a secret.
  for (const secret of SECRETS) expect(logs.raw.join('\n')).not.toContain(secret);
});

const linesOf = (msg: string) => logs.lines().filter((line) => line.msg === msg);

describe('requestLogPlugin', () => {
  it('writes one line per request with id, operation, duration, upstream calls and caller', async () => {
    const { result } = await gateway.execute('query EntityById($id: ID!, $token: String) { entity(id: $id, token: $token) { id name } }', {
      variables: { id: 'e1', token: TOKEN },
      headers: SECRET_HEADERS,
      context: { caller: READER, requestId: 'client-req-7' },
    });
    expect(result.errors).toBeUndefined();
    expect(linesOf('graphql request')).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: 'client-req-7',
        operationName: 'EntityById',
        operationType: 'query',
        durationMs: 12.5,
        upstreamCalls: 2,
        outcome: 'success',
        errorCodes: [],
        status: 200,
        keyId: 'reader',
      }),
    ]);
  });

  it('lists the error codes the client got, and logs masked errors apart', async () => {
    await gateway.execute('{ denied leak entity(id: "e2") { id } }', { context: { caller: READER }, variables: { password: PASSWORD } });
    const [line] = linesOf('graphql request');
    expect(line).toMatchObject({ operationName: null, outcome: 'partial', errorCodes: ['UPSTREAM_AUTH_FAILED', 'INTERNAL_SERVER_ERROR'] });
    const masked = linesOf('graphql error masked as INTERNAL_SERVER_ERROR');
    expect(masked).toHaveLength(1);
    // The response hides it; the log keeps what a developer needs to fix it.
    expect(masked[0]).toMatchObject({ level: 50, requestId: 'req-1', path: ['leak'], err: { type: 'TypeError', message: "cannot read properties of undefined (reading 'rows')" } });
  });

  it('logs a request refused for lack of scope, with status 403', async () => {
    const { status } = await gateway.execute('mutation { deleteLink(id: "l1") { deletedId } }', { context: { caller: READER } });
    expect(status).toBe(403);
    expect(linesOf('graphql request')).toEqual([expect.objectContaining({ operationType: 'mutation', errorCodes: ['FORBIDDEN'], status: 403, upstreamCalls: 0 })]);
  });
});

describe('auditPlugin', () => {
  it('writes one line per mutation field: caller, tenant, operation, target ids, idempotency key, outcome', async () => {
    const { result } = await gateway.execute(
      `mutation Link($input: LinkInput!) {
        createLink(input: $input) { link { id } }
        deleteLink(id: "l9", clientMutationId: "del-1") { deletedId }
      }`,
      { variables: { input: { entityId: 'e1', externalId: 'ext-7', password: PASSWORD, note: TOKEN, clientMutationId: 'idem-42' } }, headers: SECRET_HEADERS, context: { caller: WRITER, upstreamCalls: { count: 1, vendorRequestIds: ['zr-ok-1'] } } },
    );
    expect(result.errors).toBeUndefined();
    expect(linesOf('audit')).toEqual([
      expect.objectContaining({
        log: 'audit',
        requestId: 'req-1',
        keyId: 'writer',
        tenant: { zuora: '8a80825555a3c7a10155b460f53858e6', m3ter: 'org-1', revio: 'ACME' },
        operation: 'createLink',
        targets: { entityId: 'e1', externalId: 'ext-7', 'link.id': 'link-1' },
        idempotencyKey: 'idem-42',
        outcome: 'success',
        errorCode: null,
        vendorRequestIds: ['zr-ok-1'],
      }),
      expect.objectContaining({ operation: 'deleteLink', targets: { id: 'l9', deletedId: 'l9' }, idempotencyKey: 'del-1', outcome: 'success' }),
    ]);
  });

  it("records a failed mutation with its code and the vendor's request id", async () => {
    await gateway.execute('mutation { conflictLink(input: { entityId: "e1", externalId: "x", clientMutationId: "idem-9" }) { link { id } } }', { context: { caller: WRITER } });
    expect(linesOf('audit')).toEqual([
      expect.objectContaining({ operation: 'conflictLink', targets: { entityId: 'e1', externalId: 'x' }, idempotencyKey: 'idem-9', outcome: 'error', errorCode: 'CONFLICT', vendorRequestIds: ['m3-409'] }),
    ]);
  });

  it('records a mutation denied before execution (scope), and none for queries', async () => {
    await gateway.execute('query { entity(id: "e1") { id } }', { context: { caller: READER } });
    expect(linesOf('audit')).toEqual([]);
    await gateway.execute('mutation { createLink(input: { entityId: "e1", externalId: "x" }) { link { id } } }', { context: { caller: READER } });
    expect(linesOf('audit')).toEqual([expect.objectContaining({ keyId: 'reader', operation: 'createLink', outcome: 'denied', errorCode: 'FORBIDDEN', targets: {} })]);
    expect(calls.resolvers).toBe(1);
  });
});

describe('scopePlugin', () => {
  it('lets a read key query and refuses it a mutation before any resolver runs', async () => {
    expect((await gateway.execute('{ entity(id: "e1") { id } }', { context: { caller: READER } })).result.data).toEqual({ entity: { id: 'e1' } });
    const refused = await gateway.execute('mutation { createLink(input: { entityId: "e1", externalId: "x" }) { link { id } } }', { context: { caller: READER } });
    expect(refused.status).toBe(403);
    expect(refused.result.errors).toEqual([expect.objectContaining({ message: 'API key "reader" lacks the "write" scope this operation needs', extensions: { code: 'FORBIDDEN' } })]);
    expect(calls.resolvers).toBe(1);
  });

  it('lets a write key mutate, and answers 401 without a caller', async () => {
    expect((await gateway.execute('mutation { deleteLink(id: "l1") { deletedId } }', { context: { caller: WRITER } })).result.data).toEqual({ deleteLink: { deletedId: 'l1' } });
    const anonymous = await gateway.execute('{ entity(id: "e1") { id } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.result.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });
});

describe('metricsPlugin', () => {
  it('counts requests by resolved operation name and outcome, with latency', async () => {
    await gateway.execute('query One { entity(id: "e1") { id } }', { context: { caller: READER } });
    await gateway.execute('query Two { denied }', { context: { caller: READER } });
    await gateway.execute('{ nope }', { context: { caller: READER } });
    const values = (await metrics.registry.getSingleMetric('interlink_graphql_requests_total')?.get())?.values;
    expect(values).toEqual([
      { labels: { operation: 'One', outcome: 'success' }, value: 1 },
      { labels: { operation: 'Two', outcome: 'partial' }, value: 1 },
      { labels: { operation: 'unknown', outcome: 'error' }, value: 1 },
    ]);
    expect(await metrics.render()).toContain('interlink_graphql_request_duration_seconds_count{operation="One"} 1');
  });
});
