/**
 * `npm run bench:http-layer`: what one vendor call costs in CPU, by HTTP layer, for the same call
 * (W3's: Zuora `GET /v1/entities` as one entity, the large seed's 20 entities in the answer):
 *
 * - **Interlink's Zuora client**: got through the upstream base (hooks, handler, deadline, limiter,
 *   circuit breaker, retry budget, token provider), as a request's loader calls it.
 * - **got, as targets (a) and (c) call it**: the bench's plain got instance (keep-alive, no
 *   retries, no hooks), `bench/targets/direct-rest/vendor-http.ts`.
 * - **undici `Pool`**: the same request on a raw keep-alive pool, body read as text and parsed.
 *
 * This process makes the calls, pinned to the server core; the sandbox has the other core. The
 * layers take turns in rounds of `--calls` calls at `--concurrency` (the order turns each round,
 * so drift lands on every layer), and a layer's figure is its median CPU µs per call over rounds.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createZuoraClient } from '../src/upstreams/zuora/client.js';
import { hyphenatedZuoraId } from '../src/upstreams/zuora/entity-id-forms.js';
import { fetchTokens } from './lib/fetch-tokens.js';
import { detectPinning } from './lib/pinning.js';
import { startSandboxProcess, type SandboxSize } from './lib/sandbox-process.js';
import { median } from './lib/summarize.js';
import { createVendorHttp } from './targets/direct-rest/vendor-http.js';

interface Layer {
  name: string;
  call(): Promise<unknown>;
  close(): Promise<void> | void;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '5' },
      size: { type: 'string', default: 'large' },
      /** Only the layers whose name contains this (a profile of one layer: node --cpu-prof). */
      only: { type: 'string', default: '' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('npm run bench:http-layer -- [--calls=2000] [--concurrency=16] [--rounds=5] [--size=large]');
    return 0;
  }
  const calls = Number(values.calls);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const cwd = process.cwd();
  const pinning = detectPinning();
  const sandbox = await startSandboxProcess({ size: values.size as SandboxSize, pinning, cwd });
  // This process is the client under test: on the server core, away from the sandbox.
  if (pinning.enabled) spawnSync('taskset', ['-a', '-p', '-c', String(pinning.serverCore), String(process.pid)]);
  const layers: Layer[] = [];
  try {
    const { urls, credentials: c, workload } = sandbox.line;
    const tokens = await fetchTokens(sandbox.line);
    const entityId = c.zuora.entityIds[0]!;
    const hyphenated = hyphenatedZuoraId(entityId);
    const path = '/v1/entities';

    const zuora = createZuoraClient({ url: urls.zuora, tenant: { name: 'bench', clientId: c.zuora.clientId, clientSecret: c.zuora.clientSecret, entityIds: [entityId] } });
    let requestNumber = 0;
    layers.push({ name: "Interlink's Zuora client (got + upstream base)", call: () => zuora.listEntities({ entityId, requestId: `req-${++requestNumber}` }), close: () => zuora.close() });

    const plain = createVendorHttp({ sandbox: sandbox.line, tokens });
    layers.push({ name: 'got, as targets (a) and (c) call it', call: () => plain.zuora('GET', 'v1/entities', entityId), close: () => plain.close() });

    const pool = new Pool(urls.zuora, { connections: 64, pipelining: 1 });
    const headers = { authorization: `Bearer ${tokens.zuora}`, 'zuora-entity-ids': hyphenated, accept: 'application/json' };
    layers.push({
      name: 'undici Pool, same request',
      call: async () => {
        const response = await pool.request({ path, method: 'GET', headers });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`undici: ${response.statusCode}`);
        return JSON.parse(text) as unknown;
      },
      close: () => pool.close(),
    });

    if (values.only !== '') layers.splice(0, layers.length, ...layers.filter((layer) => layer.name.toLowerCase().includes(values.only.toLowerCase())));
    // Warm every layer: sockets, token, JIT.
    for (const layer of layers) await run(layer, Math.min(calls, 500), concurrency);
    const perCall = new Map<Layer, number[]>(layers.map((layer) => [layer, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? layers : [...layers].reverse();
      for (const layer of order) perCall.get(layer)!.push(await run(layer, calls, concurrency));
    }
    const undici = layers.find((layer) => layer.name.startsWith('undici'));
    const undiciUs = undici === undefined ? Number.NaN : median(perCall.get(undici)!);
    console.log(
      [
        `HTTP layer: CPU per vendor call (Zuora GET /v1/entities, ${workload.entityCount} entities in the answer), ${calls} calls × ${rounds} rounds at concurrency ${concurrency}; client on its own core: ${pinning.enabled ? 'yes' : 'no'}.`,
        '',
        '| layer | CPU µs per call (median) | rounds | × undici Pool |',
        '| --- | ---: | --- | ---: |',
        ...layers.map((layer) => {
          const us = perCall.get(layer)!;
          return `| ${layer.name} | ${median(us).toFixed(0)} | ${us.map((u) => u.toFixed(0)).join(' ')} | ${(median(us) / undiciUs).toFixed(2)}× |`;
        }),
      ].join('\n'),
    );
    return 0;
  } finally {
    for (const layer of layers) await layer.close();
    await sandbox.stop();
  }
}

/** `calls` calls, `concurrency` at a time; answers this process's CPU µs per call. */
async function run(layer: Layer, calls: number, concurrency: number): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  const worker = async () => {
    while (next < calls) {
      next += 1;
      await layer.call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
