/**
 * The load shapes, run together against a gateway process: slow holders (connections that
 * trickle a body a byte at a time), floods (back-to-back requests from one key, valid and not),
 * and large bodies (just under the body limit, and far over it), while another key sends a cheap
 * probe query every `probeEveryMs`. Judged on: every probe answered with data (its worst latency
 * reported, never asserted), no 5xx except a 503 overload refusal that carries `retry-after`,
 * RSS under the stated bound, and the gateway alive at the end.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { rawRequest, type RawAnswer } from '../../test/helpers/raw-request.js';
import { PROBE_QUERY } from './document-run.js';
import type { LoadGateway } from './load-gateway.js';
import type { Violation } from './invariants.js';

export interface LoadShapeOptions {
  seconds: number;
  slowHolders: number;
  floodWorkers: number;
  largeBodyWorkers: number;
  probeEveryMs: number;
  rssBoundMb: number;
}

export const QUICK_LOAD: LoadShapeOptions = { seconds: 8, slowHolders: 40, floodWorkers: 6, largeBodyWorkers: 2, probeEveryMs: 250, rssBoundMb: 512 };

export interface LoadRunResult {
  requests: number;
  statuses: Record<string, number>;
  probes: { sent: number; answered: number; worstMs: number };
  slowHoldersClosedByGateway: number;
  worstRssMb: number;
  checks: number;
  violations: Violation[];
}

const FLOOD_BODIES = [
  { query: '{ entities(first: 50) { nodes { name connections(first: 20) { totalCount } } } }' },
  { query: '{ externalLinks(first: 100) { nodes { id } } }' },
  { query: '{ entities(first: 1) { nodes { name } ' },
  { query: 'query A { __typename } query B { __typename }' },
  { query: `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: entities(first: 1) { totalCount }`).join(' ')} }` },
];

export async function runLoadShapes(gateway: LoadGateway, options: LoadShapeOptions): Promise<LoadRunResult> {
  const deadline = Date.now() + options.seconds * 1000;
  const live = () => Date.now() < deadline;
  const statuses: Record<string, number> = {};
  const violations: Violation[] = [];
  let requests = 0;
  let checks = 0;
  const note = (answer: RawAnswer) => {
    requests += 1;
    checks += 1;
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const overloadRefusal = answer.status === 503 && answer.headers['retry-after'] !== undefined;
    if (answer.status >= 500 && !overloadRefusal && violations.filter((v) => v.invariant === 'no-5xx').length < 5) {
      violations.push({ invariant: 'no-5xx', message: `expected no 5xx but a 503 with retry-after under load, got ${answer.status}: ${answer.text.slice(0, 200)}` });
    }
  };
  const send = (key: string, body: string) =>
    rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }).then(note, (error: Error) => {
      requests += 1;
      statuses[error.message.slice(0, 40)] = (statuses[error.message.slice(0, 40)] ?? 0) + 1;
    });

  let worstRssMb = 0;
  const sampler = (async () => {
    while (live()) {
      worstRssMb = Math.max(worstRssMb, gateway.rssMb() ?? 0);
      await sleep(100);
    }
  })();

  let holderClosures = 0;
  const holders = Array.from({ length: options.slowHolders }, () => holdSlowly(gateway.url, gateway.attackerKey, live).then((closedByGateway) => void (closedByGateway && (holderClosures += 1))));

  const floods = Array.from({ length: options.floodWorkers }, async (_, worker) => {
    for (let i = worker; live(); i += 1) await send(gateway.attackerKey, JSON.stringify(FLOOD_BODIES[i % FLOOD_BODIES.length]));
  });
  const large = Array.from({ length: options.largeBodyWorkers }, async (_, worker) => {
    for (let i = worker; live(); i += 1) {
      const pad = 'x'.repeat(i % 2 === 0 ? 1000 * 1000 - 200 : 5 * 1024 * 1024);
      await send(gateway.attackerKey, JSON.stringify({ query: PROBE_QUERY, variables: { pad } }));
    }
  });

  const probes = { sent: 0, answered: 0, worstMs: 0 };
  const prober = (async () => {
    while (live()) {
      probes.sent += 1;
      checks += 1;
      const started = performance.now();
      const answer = await Promise.race([
        rawRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.probeKey}` }, body: JSON.stringify({ query: PROBE_QUERY }) }).catch((error: Error) => error),
        sleep(30_000).then(() => 'no answer in 30 s'),
      ]);
      probes.worstMs = Math.max(probes.worstMs, performance.now() - started);
      if (typeof answer !== 'string' && !(answer instanceof Error) && answer.status === 200 && answer.body?.data?.entities != null) probes.answered += 1;
      else if (violations.filter((v) => v.invariant === 'probe-answered').length < 5) {
        violations.push({ invariant: 'probe-answered', message: `expected the probe key's cheap query answered with data under load, got ${typeof answer === 'string' ? answer : answer instanceof Error ? answer.message : `${answer.status} ${answer.text.slice(0, 160)}`}` });
      }
      await sleep(options.probeEveryMs);
    }
  })();

  await Promise.all([sampler, prober, ...floods, ...large, ...holders]);
  checks += 2;
  if (worstRssMb > options.rssBoundMb) violations.push({ invariant: 'rss-bound', message: `expected the gateway's RSS under ${options.rssBoundMb} MB, got ${worstRssMb.toFixed(0)} MB` });
  const health = await rawRequest(gateway.url, { method: 'GET', path: '/healthz' }).catch((error: Error) => error);
  if (health instanceof Error || health.status !== 200) violations.push({ invariant: 'gateway-alive', message: `expected /healthz 200 after the load, got ${health instanceof Error ? health.message : health.status}` });
  try {
    gateway.process.assertAlive();
  } catch (error) {
    violations.push({ invariant: 'gateway-alive', message: (error as Error).message.slice(0, 400) });
  }
  return { requests, statuses, probes, slowHoldersClosedByGateway: holderClosures, worstRssMb, checks, violations };
}

/** A POST that promises 100 kB and sends a byte every 200 ms; resolves true when the gateway closed it first. */
function holdSlowly(baseUrl: string, key: string, live: () => boolean): Promise<boolean> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let closedByUs = false;
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`POST /graphql HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nauthorization: Bearer ${key}\r\ncontent-length: 100000\r\n\r\n{"query":"`);
      const drip = setInterval(() => {
        if (!live()) {
          clearInterval(drip);
          closedByUs = true;
          socket.destroy();
          return;
        }
        socket.write('x');
      }, 200);
      socket.on('close', () => clearInterval(drip));
    });
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('close', () => resolve(!closedByUs));
  });
}
