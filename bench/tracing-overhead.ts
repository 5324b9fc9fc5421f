/**
 * What tracing costs: CPU ms per request of the W1 entity graph query (large sandbox) with
 * tracing off, then on (every request sampled, spans exported over OTLP/HTTP to a receiver in
 * this process that only drains them), in alternating rounds, and the ratio. The sandbox runs in
 * its own process, so the CPU measured here is the gateway's (plus the client's fetch, the same
 * in both modes).
 *
 *   npm run bench:tracing            (--requests=N per round, default 200; --rounds=N, default 3)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { prepareInterlink } from './lib/interlink-env.js';
import { detectPinning } from './lib/pinning.js';
import { startSandboxProcess } from './lib/sandbox-process.js';

const arg = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const requests = arg('requests', 200);
const rounds = arg('rounds', 3);
const W1 = readFileSync(new URL('./workloads/w1-entity-graph/interlink.graphql', import.meta.url), 'utf8');

// A collector that takes the spans and drops them.
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const sandbox = await startSandboxProcess({ size: 'large', pinning: { ...detectPinning(), enabled: false }, cwd: process.cwd() });
const setup = await prepareInterlink(sandbox.line);

/** CPU ms per request over `requests` sequential W1 requests, after a warm-up. */
async function measure(tracing: boolean): Promise<number> {
  const env = { ...setup.env, INTERLINK_PORT: '0', INTERLINK_LOG_LEVEL: 'warn', ...(tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_TRACES_SAMPLER: 'always_on' } : {}) };
  const gateway = await createGateway({ config: loadConfig(env), logger: createLogger({ level: 'warn' }), graphiql: false });
  const url = await gateway.listen();
  const send = async () => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.apiKey}` }, body: JSON.stringify({ query: W1 }) });
    const body = (await response.json()) as { errors?: unknown };
    if (response.status !== 200 || body.errors !== undefined) throw new Error(`W1 failed: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  try {
    for (let i = 0; i < 30; i += 1) await send();
    const start = process.cpuUsage();
    for (let i = 0; i < requests; i += 1) await send();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / requests;
  } finally {
    await gateway.close();
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const off: number[] = [];
const on: number[] = [];
try {
  for (let round = 1; round <= rounds; round += 1) {
    off.push(await measure(false));
    on.push(await measure(true));
    process.stdout.write(`round ${round}: off ${off.at(-1)!.toFixed(2)} ms, on ${on.at(-1)!.toFixed(2)} ms CPU per request\n`);
  }
} finally {
  await sandbox.stop();
  await setup.cleanup();
  receiver.close();
}
process.stdout.write(
  `\n| W1 entity graph, ${requests} requests x ${rounds} rounds | CPU ms per request (median) |\n| --- | ---: |\n| tracing off | ${median(off).toFixed(2)} |\n| tracing on (always_on, OTLP/HTTP) | ${median(on).toFixed(2)} |\n| ratio on / off | ${(median(on) / median(off)).toFixed(3)} |\n`,
);
