/**
 * Child process for benchmarks: starts the sandbox and prints one JSON line with its URLs and
 * credentials, so the parent can pin this process to its own core and measure from outside.
 */
import { startSandbox } from '../sandbox/index.js';
import type { SizeName } from '../sandbox/fixtures/index.js';

const size = (process.env.SANDBOX_SIZE ?? 'large') as SizeName;
const latencyMs = Number(process.env.SANDBOX_LATENCY_MS ?? 0);
const sandbox = await startSandbox({
  size,
  limits: 'off',
  faults: latencyMs > 0 ? { zuora: { rules: [{ kind: 'latency', latencyMs }] }, m3ter: { rules: [{ kind: 'latency', latencyMs }] }, revio: { rules: [{ kind: 'latency', latencyMs }] } } : undefined,
});
const first = sandbox.fixtures;
process.stdout.write(
  JSON.stringify({
    urls: sandbox.urls,
    credentials: sandbox.credentials,
    sample: {
      entityId: first.zuora.tenants[0]!.entities[0]!.id,
      mappingId: first.m3ter.orgs[0]!.mappings[0]!.id,
      keyLinkId: first.revio.clients[0]!.keyLinks[0]!.integration_key_link_id,
    },
  }) + '\n',
);
const stop = () => sandbox.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
