/**
 * Memory is admitted before it is spent: with every execution slot held by slow requests, a flood
 * of 1 MiB bodies (each would parse to some 21 MB of heap) waits unread at the door instead of
 * being parsed into the heap while it queues. Measured on the real process (`src/index.ts` in
 * sandbox mode), by its resident set size, so what the gateway holds is what is counted.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGraphiQLAssets } from '../../scripts/build-graphiql.js';

const FLOOD = 120;
/** What the flood may add to the gateway's resident set: far below 120 parsed bodies (~2.5 GB). */
const MAX_GROWTH_MB = 200;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

function send(url: string, key: string, body: Buffer | string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/graphql`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // A connection cut by the gateway (a refused body it did not read) counts as refused.
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

describe('memory at the door', () => {
  let child: ChildProcessWithoutNullStreams;
  let url: string;
  let key: string;
  let zuoraUrl: string;

  beforeAll(async () => {
    await ensureGraphiQLAssets();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, INTERLINK_PORT: '0', INTERLINK_MAX_CONCURRENT_REQUESTS: '4', INTERLINK_MAX_QUEUED_REQUESTS: '500', INTERLINK_MAX_QUEUE_WAIT_MS: '20000' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!/API key\s+ilk_dev_\S+/.test(err)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`gateway did not start: ${err}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    url = /GraphQL\s+(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(err)![1]!;
    key = /API key\s+(ilk_dev_\S+)/.exec(err)![1]!;
    zuoraUrl = JSON.parse(out.split('\n').find((line) => line.includes('embedded sandbox started'))!).sandbox.zuora;
  }, 90_000);

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('keeps a flood of 1 MiB bodies unread while every slot is busy, and refuses each for its values, not parsed', async () => {
    // Warm up, then measure from a settled process.
    expect(await send(url, key, JSON.stringify({ query: '{ entities(first: 1) { nodes { name } } }' }))).toBe(200);
    const before = rssMb(child.pid!);

    // Four slow requests hold the four slots: Zuora answers after 4 s.
    await fetch(`${zuoraUrl}/__sandbox/faults/zuora`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: [{ kind: 'latency', latencyMs: 4000 }] }) });
    const holders = Array.from({ length: 4 }, (_, i) => send(url, key, JSON.stringify({ query: `{ entities(first: ${i + 1}) { nodes { name } } }` })));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const padded = Buffer.from(JSON.stringify({ query: '{ __typename }', variables: { pad: Array.from({ length: 345_000 }, () => ({})) } }));
    expect(padded.length).toBeGreaterThan(1_000_000);
    expect(padded.length).toBeLessThan(1024 * 1024);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 50);
    const flood = Array.from({ length: FLOOD }, () => send(url, key, padded));
    const statuses = await Promise.all(flood);
    clearInterval(sampler);
    await fetch(`${zuoraUrl}/__sandbox/faults`, { method: 'DELETE' });
    expect(await Promise.all(holders)).toEqual([200, 200, 200, 200]);

    // Every padded body is refused for what it holds (400), or at the door (503); none is answered 5xx otherwise.
    expect(statuses.filter((status) => status !== 400 && status !== 503)).toEqual([]);
    expect(statuses.filter((status) => status === 400).length).toBeGreaterThan(0);
    expect(peak - before).toBeLessThan(MAX_GROWTH_MB);
    // And the gateway is alive and serving.
    expect(await send(url, key, JSON.stringify({ query: '{ entities(first: 1) { nodes { name } } }' }))).toBe(200);
    console.log(`memory at the door: RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during ${FLOOD} padded 1 MiB bodies`);
  }, 120_000);
});
