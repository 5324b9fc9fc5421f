import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGraphiQLAssets } from '../../scripts/build-graphiql.js';

/**
 * The real entry point (src/index.ts) as `npm start` runs it, with no configuration: it must start
 * the embedded sandbox, print where everything is and a development key that works, and stop
 * gracefully on SIGTERM, finishing a request in flight. Bad configuration exits 2, naming the
 * variable.
 */
interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  url: string;
  key: string;
  sandboxUrls: { zuora: string; m3ter: string; revio: string };
}

/** Only what Node needs: no INTERLINK_* from the developer's shell leaks into the test. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
}

function spawnGateway(extra: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: process.cwd(), env: cleanEnv({ INTERLINK_PORT: '0', ...extra }) });
}

async function startGatewayProcess(): Promise<Started> {
  const child = spawnGateway();
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!/API key\s+ilk_dev_\S+/.test(err)) {
    if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`gateway not ready in 30 s: ${err}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /GraphQL\s+(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(err)![1]!;
  const key = /API key\s+(ilk_dev_\S+)/.exec(err)![1]!;
  const sandboxLine = out.split('\n').find((line) => line.includes('embedded sandbox started'))!;
  return { child, stdout: () => out, stderr: () => err, url, key, sandboxUrls: JSON.parse(sandboxLine).sandbox };
}

describe('the gateway process (npm start)', () => {
  let started: Started;

  beforeAll(async () => {
    await ensureGraphiQLAssets();
    started = await startGatewayProcess();
  }, 90_000);

  afterAll(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
  });

  it('prints the GraphQL and GraphiQL URLs, a development key and a sample query that works as printed', async () => {
    const banner = started.stderr();
    expect(banner).toContain(`GraphiQL   ${started.url}/graphiql`);
    expect(banner).toContain('curl -s');
    // The printed curl body, run as is.
    const body = /-d '(.+)'\n/.exec(banner)![1]!;
    const response = await fetch(`${started.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${started.key}` }, body });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { data: { entities: { nodes: { name: string; externalLinks: { provider: string }[] }[] } }; errors?: unknown };
    expect(result.errors).toBeUndefined();
    const providers = new Set(result.data.entities.nodes.flatMap((entity) => entity.externalLinks.map((link) => link.provider)));
    expect(providers).toEqual(new Set(['M3TER', 'REVIO']));
    // The key is printed once, on the terminal, and never logged.
    expect(started.stdout()).not.toContain(started.key);
  });

  it('serves GraphiQL, /healthz and /readyz, with every vendor on loopback', async () => {
    const page = await fetch(`${started.url}/graphiql`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Bearer ${started.key}`);
    expect((await fetch(`${started.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${started.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', upstreams: { zuora: 'ok', m3ter: 'ok', revio: 'ok' } });
    for (const url of Object.values(started.sandboxUrls)) expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('on SIGTERM, finishes the request in flight, refuses new connections, and exits 0', async () => {
    // Slow Zuora down through the sandbox's control API, so a request is in flight at SIGTERM.
    const faults = await fetch(`${started.sandboxUrls.zuora}/__sandbox/faults/zuora`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ kind: 'latency', latencyMs: 1500 }] }),
    });
    expect(faults.status).toBe(200);
    const inFlight = fetch(`${started.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${started.key}` },
      body: JSON.stringify({ query: '{ entities(first: 1) { nodes { name } } }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const exited = once(started.child, 'exit');
    started.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { entities: { nodes: unknown[] } } }).data.entities.nodes).toHaveLength(1);
    await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(started.stdout()).toContain('"msg":"stopped"');
  }, 30_000);

  it('exits 2 on bad configuration, naming each variable and the form it expects', async () => {
    const child = spawnGateway({ INTERLINK_PORT: 'eighty', INTERLINK_LOG_LEVEL: 'loud' });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toMatch(/INTERLINK_PORT must be .*got "eighty"/);
    expect(err).toMatch(/INTERLINK_LOG_LEVEL must be .*got "loud"/);
  }, 30_000);
});
