/**
 * `npm run bench:sandbox`: requests/s one sandbox process serves on one core, for simple GETs and
 * paged lists of each vendor (large seed, limits off, no faults). The sandbox must never be the
 * bottleneck of a gateway benchmark; the goal is ≥ 5,000 simple GETs/s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { loadTool, runLoad } from './lib/load.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Ready {
  urls: Record<'zuora' | 'm3ter' | 'revio', string>;
  credentials: {
    zuora: { clientId: string; clientSecret: string; entityIds: string[] };
    m3ter: { orgId: string; accessKeyId: string; apiSecret: string };
    revio: { clientCode: string; login: string; password: string; subscriptionKey: string };
  };
  sample: { entityId: string; mappingId: string; keyLinkId: number };
}

const pinned = spawnSync('taskset', ['--version']).status === 0 && cpus().length > 1;
const command = pinned ? 'taskset' : process.execPath;
const args = [...(pinned ? ['-c', '0', process.execPath] : []), '--import', 'tsx', 'bench/sandbox-server.ts'];
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
const ready: Ready = await new Promise((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
});

try {
  const { urls, credentials: c, sample } = ready;
  const hyphenate = (id: string) => id.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  const zuoraToken = await fetch(`${urls.zuora}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: c.zuora.clientId, client_secret: c.zuora.clientSecret, grant_type: 'client_credentials' }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const m3terToken = await fetch(`${urls.m3ter}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${c.m3ter.accessKeyId}:${c.m3ter.apiSecret}`).toString('base64')}` },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);

  const zuoraHeaders = { authorization: `Bearer ${zuoraToken.access_token}`, 'zuora-entity-ids': hyphenate(sample.entityId) };
  const m3terHeaders = { authorization: `Bearer ${m3terToken.access_token}` };
  const revioHeaders = {
    authorization: `Basic ${Buffer.from(`${c.revio.login}@${c.revio.clientCode}:${c.revio.password}`).toString('base64')}`,
    'ocp-apim-subscription-key': c.revio.subscriptionKey,
  };
  const org = `/organizations/${c.m3ter.orgId}`;
  const scenarios: { name: string; kind: 'simple GET' | 'paged list'; url: string; headers: Record<string, string> }[] = [
    { name: 'Zuora GET /v1/entities/{id}', kind: 'simple GET', url: `${urls.zuora}/v1/entities/${sample.entityId}`, headers: zuoraHeaders },
    { name: 'm3ter GET /externalmappings/{id}', kind: 'simple GET', url: `${urls.m3ter}${org}/externalmappings/${sample.mappingId}`, headers: m3terHeaders },
    { name: 'Rev.io GET /v1/IntegrationKeyLink/{id}', kind: 'simple GET', url: `${urls.revio}/v1/IntegrationKeyLink/${sample.keyLinkId}`, headers: revioHeaders },
    { name: 'Zuora GET /v1/entity-connections?pageSize=300', kind: 'paged list', url: `${urls.zuora}/v1/entity-connections?pageSize=300`, headers: zuoraHeaders },
    { name: 'm3ter GET /externalmappings?pageSize=200', kind: 'paged list', url: `${urls.m3ter}${org}/externalmappings?pageSize=200`, headers: m3terHeaders },
    { name: 'Rev.io GET /v1/IntegrationKeyLink?search.page=2&search.page_size=500', kind: 'paged list', url: `${urls.revio}/v1/IntegrationKeyLink?search.page=2&search.page_size=500`, headers: revioHeaders },
  ];

  console.log(`sandbox throughput: ${pinned ? 'sandbox pinned to core 0' : 'unpinned'}, load by ${loadTool}, ${CONNECTIONS} connections, ${DURATION_S} s each, Node ${process.version}`);
  console.log(['scenario', 'kind', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'].join('\t'));
  for (const scenario of scenarios) {
    const probe = await fetch(scenario.url, { headers: scenario.headers });
    if (probe.status !== 200) throw new Error(`${scenario.name}: expected 200, got ${probe.status} ${await probe.text()}`);
    const result = await runLoad({ url: scenario.url, headers: scenario.headers, connections: CONNECTIONS, durationS: DURATION_S });
    console.log([scenario.name, scenario.kind, result.requestsPerSecond, result.p50Ms, result.p99Ms, result.non2xx].join('\t'));
  }
} finally {
  child.kill('SIGTERM');
}
