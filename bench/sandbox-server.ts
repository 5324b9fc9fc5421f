/**
 * Child process for benchmarks: starts the sandbox and prints one JSON line with its URLs and
 * credentials, so the parent can pin this process to its own core and measure from outside.
 * The line (a `SandboxInfo`) is what every target gets as BENCH_SANDBOX.
 */
import { startSandbox } from '../sandbox/index.js';
import type { ExampleCredentials, SandboxFixtures } from '../sandbox/index.js';
import type { SizeName } from '../sandbox/fixtures/index.js';

/** The printed line. `credentials` are the first tenant of each vendor (one company). */
export interface SandboxInfo {
  urls: { zuora: string; m3ter: string; revio: string };
  credentials: ExampleCredentials;
  sample: { entityId: string; mappingId: string; keyLinkId: number };
  workload: WorkloadData;
}

/** What the workloads (bench/workloads/) need, computed from the seed for the first tenant of each vendor. */
export interface WorkloadData {
  /** W1: the number of entities of the Zuora tenant (`entities` must return them all). */
  entityCount: number;
  /**
   * W2: 50 external records, each linked in both m3ter and Rev.io: the company's Zuora entities
   * first, then Salesforce records (accounts, then products). `system` is m3ter's spelling (its
   * filters are exact; Rev.io's are not). When the seed has fewer such records (the small
   * preset: 20), the list repeats itself.
   */
  lookups: { system: string; id: string }[];
  /** W3: one entity of the tenant (not the root, which is also the acting entity). */
  entityId: string;
  /** W4: a Rev.io customer that has no links in the seed, to link and unlink. */
  linkTarget: { provider: 'REVIO'; internalType: string; internalId: string; externalSystem: string };
}

/** W2's document has this many aliases (bench/workloads/w2-link-resolution/interlink.graphql). */
const W2_LOOKUPS = 50;

const size = (process.env.SANDBOX_SIZE ?? 'large') as SizeName;
const latencyMs = Number(process.env.SANDBOX_LATENCY_MS ?? 0);
// Off for the bench's targets (none but Interlink has a client-side limiter); `vendor` for the
// replicas bench, which shows the vendors' limits held across replicas.
const limits = process.env.SANDBOX_LIMITS === 'vendor' ? 'vendor' : 'off';
const sandbox = await startSandbox({
  size,
  limits,
  faults: latencyMs > 0 ? { zuora: { rules: [{ kind: 'latency', latencyMs }] }, m3ter: { rules: [{ kind: 'latency', latencyMs }] }, revio: { rules: [{ kind: 'latency', latencyMs }] } } : undefined,
});
const first = sandbox.fixtures;
const info: SandboxInfo = {
  urls: sandbox.urls,
  credentials: sandbox.credentials,
  sample: {
    entityId: first.zuora.tenants[0]!.entities[0]!.id,
    mappingId: first.m3ter.orgs[0]!.mappings[0]!.id,
    keyLinkId: first.revio.clients[0]!.keyLinks[0]!.integration_key_link_id,
  },
  workload: workloadData(first),
};
process.stdout.write(JSON.stringify(info) + '\n');
const stop = () => sandbox.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

function workloadData(fixtures: SandboxFixtures): WorkloadData {
  const tenant = fixtures.zuora.tenants[0]!;
  const org = fixtures.m3ter.orgs[0]!;
  const client = fixtures.revio.clients[0]!;
  const systemName = new Map(fixtures.revio.systems.map((s) => [s.integration_system_id, s.system_name.toLowerCase()]));
  // Records Rev.io links to, keyed as `system\nid` (system any case, id exact, as both compare).
  const inRevio = new Set(client.keyLinks.map((link) => `${systemName.get(link.integration_system_id)}\n${link.external_id}`));
  const both = new Map<string, { system: string; id: string }>();
  for (const mapping of org.mappings) {
    const key = `${mapping.externalSystem.toLowerCase()}\n${mapping.externalId}`;
    if (inRevio.has(key) && !both.has(key)) both.set(key, { system: mapping.externalSystem, id: mapping.externalId });
  }
  const linked = [...both.values()];
  // Zuora first (their links have an `entity`), then Salesforce (the other system both providers link).
  const ordered = [...linked.filter((l) => l.system === 'Zuora'), ...linked.filter((l) => l.system === 'Salesforce')];
  if (ordered.length === 0) throw new Error('the seed has no external record linked in both m3ter and Rev.io');
  const lookups = Array.from({ length: W2_LOOKUPS }, (_, i) => ordered[i % ordered.length]!);

  const customerType = fixtures.revio.entityTypes.find((t) => t.entity_type_name === 'CUSTOMER')!.integration_entity_type_id;
  const withLinks = new Set(client.keyLinks.filter((l) => l.integration_entity_type_id === customerType).map((l) => l.internal_id));
  const spare = client.internalIds[customerType]?.find((id) => !withLinks.has(id));
  if (spare === undefined) throw new Error('the seed has no Rev.io customer without links for W4');

  return {
    entityCount: tenant.entities.length,
    lookups,
    entityId: (tenant.entities[1] ?? tenant.entities[0]!).id,
    linkTarget: { provider: 'REVIO', internalType: 'CUSTOMER', internalId: String(spare), externalSystem: 'SALESFORCE' },
  };
}
