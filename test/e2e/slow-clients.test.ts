/**
 * Slow and stalled clients hold a socket for a bounded time, and sockets are bounded in number
 * (src/http/guard-connections.ts). Before these limits a body trickled a byte a second lived until
 * Node's 300 s request timeout, and a client that never read a large answer kept its socket open
 * indefinitely. Small limits here; the defaults are argued in src/http/connection-settings.ts.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, withGateway, type TestGateway } from '../helpers/gateway.js';

/** A socket to the gateway that records what arrives and when it closes. */
async function connect(url: string): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => Buffer.concat(chunks).toString('latin1'), closed };
}

function head(url: string, body: string): string {
  return [`POST /graphql HTTP/1.1`, `host: ${new URL(url).host}`, `authorization: Bearer ${ADMIN_KEY}`, 'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`, '', ''].join('\r\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `text` a byte every `everyMs` until the socket closes; how many bytes went out. */
async function trickle(socket: net.Socket, text: string, everyMs: number): Promise<number> {
  let sent = 0;
  for (const byte of text) {
    if (socket.destroyed || !socket.writable) break;
    socket.write(byte);
    sent += 1;
    await sleep(everyMs);
  }
  return sent;
}

async function closures(gw: TestGateway, reason: string): Promise<number> {
  const text = await gw.gateway.metrics.render();
  const line = text.split('\n').find((row) => row.startsWith(`interlink_http_connections_closed_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

async function openSockets(gw: TestGateway): Promise<number> {
  return new Promise((resolve, reject) => gw.gateway.httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

/** Polls `check` until it holds or `withinMs` pass; whether it held. */
async function eventually(check: () => Promise<boolean> | boolean, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

describe('slow clients: a request sent too slowly', () => {
  const gw = withGateway({ env: { INTERLINK_MAX_QUEUE_WAIT_MS: '0', INTERLINK_HEADERS_TIMEOUT_MS: '500', INTERLINK_REQUEST_TIMEOUT_MS: '6000', INTERLINK_IDLE_TIMEOUT_MS: '300' } });

  it('answers 408 to a body trickled a byte every 100 ms, and closes the socket before the body is sent', { timeout: 20_000 }, async () => {
    const body = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(200)}` });
    const client = await connect(gw.url);
    client.socket.write(head(gw.url, body));
    const sent = await trickle(client.socket, body, 100);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    // 6 s at 10 bytes a second: the body (~230 bytes) was cut long before its end.
    expect(sent).toBeLessThan(body.length / 2);
  });

  it('answers 408 to headers trickled a byte every 50 ms', { timeout: 20_000 }, async () => {
    const client = await connect(gw.url);
    const sent = await trickle(client.socket, head(gw.url, '{}') + '{}', 50);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(head(gw.url, '{}').length);
  });

  it('still answers a request sent at once, and one that executes past the idle timeout', { timeout: 20_000 }, async () => {
    expect((await gw.post('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
    gw.sandbox.setFaults('zuora', { rules: [{ kind: 'latency', latencyMs: 1000, times: 1, match: { path: '^/v1/entities' } }] });
    const slow = await gw.post('{ entities(first: 1) { totalCount } }');
    expect(slow.body.errors).toBeUndefined();
    expect(slow.body.data.entities.totalCount).toBeGreaterThan(0);
    expect(await closures(gw, 'idle')).toBe(0);
  });
});

describe('slow clients: an answer never read', () => {
  const gw = withGateway({
    sandbox: { limits: 'off', size: 'large' },
    // The idle timeout stays far above: the stall is what cuts the socket.
    env: { INTERLINK_WRITE_STALL_TIMEOUT_MS: '500', INTERLINK_MAX_QUERY_COST: '1000000000', INTERLINK_IDLE_TIMEOUT_MS: '600000' },
  });
  // ~7 MB of JSON: more than the kernel buffers between the two ends of a loopback socket hold.
  const entities = `entities(first: 500) { totalCount nodes { entityId name displayName status locale timezone tenantId connections(direction: BOTH, first: 500) { nodes { connectionId status source { entityId name displayName } target { entityId name displayName } } } } }`;
  const large = `{ ${Array.from({ length: 64 }, (_, i) => `w${i}: ${entities}`).join(' ')} }`;

  it('destroys the socket of a client that stops reading a large answer, after the stall timeout', { timeout: 30_000 }, async () => {
    const before = await closures(gw, 'write_stall');
    const body = JSON.stringify({ query: large });
    const client = await connect(gw.url);
    client.socket.pause();
    client.socket.write(head(gw.url, body) + body);
    // Server side: the socket is gone and counted.
    expect(await eventually(async () => (await closures(gw, 'write_stall')) === before + 1, 20_000)).toBe(true);
    expect(await eventually(async () => (await openSockets(gw)) === 0, 5_000)).toBe(true);
    client.socket.resume();
    await client.closed;
    // What arrived is the start of an answer, not all of it.
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(client.received().length).toBeLessThan(Buffer.byteLength(body) + 6 * 1024 * 1024);
  });

  it('lets a client that reads take the same answer whole', { timeout: 30_000 }, async () => {
    const before = await closures(gw, 'write_stall');
    const answer = await gw.post(large);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.data)).toHaveLength(64);
    expect(await closures(gw, 'write_stall')).toBe(before);
  });
});

describe('slow clients: the connection cap', () => {
  const gw = withGateway({ env: { INTERLINK_MAX_CONNECTIONS: '2', INTERLINK_HEADERS_TIMEOUT_MS: '10000' } });

  it('closes a connection past the cap at once, and takes new ones when a socket frees up', { timeout: 20_000 }, async () => {
    const held = [await connect(gw.url), await connect(gw.url)];
    expect(await eventually(async () => (await openSockets(gw)) === 2, 2_000)).toBe(true);
    const refused = await connect(gw.url);
    refused.socket.write(head(gw.url, '{}') + '{}');
    await refused.closed;
    expect(refused.received()).toBe('');
    expect(await closures(gw, 'over_cap')).toBe(1);
    held[0]!.socket.destroy();
    expect(await eventually(async () => (await openSockets(gw)) === 1, 2_000)).toBe(true);
    expect((await gw.post('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
    held[1]!.socket.destroy();
  });
});
