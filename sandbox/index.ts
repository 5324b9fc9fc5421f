import { SandboxClock } from './core/clock.js';
import { createControlHandler } from './core/control.js';
import { FaultPlan, VENDOR_LIMITS, type VendorFaults, type VendorLimits } from './core/faults.js';
import { Ledger } from './core/ledger.js';
import { createRng } from './core/rng.js';
import { VENDORS, type Vendor, type VendorApp } from './core/types.js';
import { startVendorServer, type VendorServer } from './core/vendor-server.js';
import { exampleCredentials, sandboxTenants, type ExampleCredentials, type SandboxTenants } from './example-credentials.js';
import { buildFixtures, DEFAULT_SEED, type SandboxFixtures, type SizeName, type SizeSpec } from './fixtures/index.js';
import { createM3terApp } from './m3ter/app.js';
import { createRevioApp } from './revio/app.js';
import { createZuoraApp } from './zuora/app.js';

export type { Vendor } from './core/types.js';
export type { FaultRule, VendorFaults, VendorLimits } from './core/faults.js';
export type { LedgerEntry, LedgerFilter } from './core/ledger.js';
export type { Ledger } from './core/ledger.js';
export type { SandboxFixtures } from './fixtures/index.js';
export type { ExampleCredentials, SandboxTenants } from './example-credentials.js';

export interface SandboxOptions {
  /** Seed for data and for fault draws (default 42). */
  seed?: number;
  /** Data volume: `small` (default, tests), `medium`, `large` (benchmarks) or exact counts. */
  size?: SizeName | SizeSpec;
  /** Faults to start with, per vendor; none by default. */
  faults?: Partial<Record<Vendor, VendorFaults>>;
  /** `vendor` (default) enforces each vendor's published rate limits; `off` disables them. */
  limits?: 'vendor' | 'off' | Partial<Record<Vendor, VendorLimits | null>>;
  /** Fixed ports (default 0: any free port). */
  ports?: Partial<Record<Vendor, number>>;
  host?: string;
}

export interface Sandbox {
  /** Base URL of each simulator: scheme, host and port, no trailing slash. */
  urls: Record<Vendor, string>;
  ledger: Ledger;
  fixtures: SandboxFixtures;
  credentials: ExampleCredentials;
  /** Every seeded tenant's credentials, to configure a gateway with. */
  tenants: SandboxTenants;
  setFaults(vendor: Vendor, faults: VendorFaults): void;
  clearFaults(): void;
  setLimits(vendor: Vendor, limits: VendorLimits | null): void;
  /** Moves the sandbox clock forward (tokens and idempotency records expire by it). */
  advanceClock(ms: number): void;
  /** Back to the seeded data, no faults, empty ledger, clock at real time. */
  reset(): void;
  /**
   * A vendor that refuses connections for `ms`: its port closes (open connections are cut) and
   * opens again on the same port. Resolves once it listens again.
   */
  refuseConnections(vendor: Vendor, ms: number): Promise<void>;
  /**
   * Every simulator goes away and comes back on its port, as after a deploy: connections are
   * cut, issued tokens are forgotten (callers must fetch new ones), data and the ledger stay.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the three vendor simulators on loopback, each on its own port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? DEFAULT_SEED;
  const fixtures = buildFixtures({ seed, size: options.size });
  const ledger = new Ledger();
  const clock = new SandboxClock();
  const faultRng = createRng(`${seed}:faults`);
  const apps: Record<Vendor, VendorApp> = {
    zuora: createZuoraApp(fixtures.zuora),
    m3ter: createM3terApp(fixtures.m3ter),
    revio: createRevioApp(fixtures.revio),
  };
  const initialLimits = (vendor: Vendor): VendorLimits | null => {
    const limits = options.limits ?? 'vendor';
    if (limits === 'off') return null;
    if (limits === 'vendor') return VENDOR_LIMITS[vendor];
    return limits[vendor] === undefined ? VENDOR_LIMITS[vendor] : (limits[vendor] ?? null);
  };
  const plans = Object.fromEntries(
    VENDORS.map((vendor) => [vendor, new FaultPlan(vendor, faultRng.fork(vendor), initialLimits(vendor))]),
  ) as Record<Vendor, FaultPlan>;
  for (const vendor of VENDORS) {
    const faults = options.faults?.[vendor];
    if (faults) plans[vendor].setFaults(faults);
  }

  const urls = {} as Record<Vendor, string>;
  const credentials = exampleCredentials(fixtures);
  const reset = () => {
    for (const vendor of VENDORS) {
      apps[vendor].reset();
      plans[vendor].reset();
      plans[vendor].setLimits(initialLimits(vendor));
    }
    ledger.reset();
    clock.reset();
  };
  const control = createControlHandler({
    ledger,
    clock,
    plans,
    apps,
    reset,
    info: () => ({ seed, urls, credentials, companies: seededCompanies(fixtures) }),
    refuseConnections: (vendor, ms) => refuseConnections(vendor, ms),
    restart: () => restart(),
  });

  const servers: VendorServer[] = [];
  const serverOf = {} as Record<Vendor, VendorServer>;
  async function refuseConnections(vendor: Vendor, ms: number): Promise<void> {
    await serverOf[vendor].stop();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await serverOf[vendor].listen();
  }
  async function restart(): Promise<void> {
    await Promise.all(servers.map((s) => s.stop()));
    for (const vendor of VENDORS) apps[vendor].forgetTokens();
    await Promise.all(servers.map((s) => s.listen()));
  }
  try {
    for (const vendor of VENDORS) {
      const server = await startVendorServer({
        app: apps[vendor],
        ledger,
        faults: plans[vendor],
        clock,
        control,
        port: options.ports?.[vendor] ?? 0,
        host: options.host ?? '127.0.0.1',
      });
      servers.push(server);
      serverOf[vendor] = server;
      urls[vendor] = server.url;
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }

  return {
    urls,
    ledger,
    fixtures,
    credentials,
    tenants: sandboxTenants(fixtures),
    setFaults: (vendor, faults) => plans[vendor].setFaults(faults),
    clearFaults: () => VENDORS.forEach((vendor) => plans[vendor].setFaults({})),
    setLimits: (vendor, limits) => plans[vendor].setLimits(limits),
    advanceClock: (ms) => clock.advance(ms),
    reset,
    refuseConnections,
    restart,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** Each seeded company with its tenant ids at every vendor, so a newcomer can switch tenants without reading fixtures. */
function seededCompanies(fixtures: SandboxFixtures) {
  return fixtures.facts.companies.map((company, c) => ({
    slug: company.slug,
    name: company.name,
    zuora: { tenantId: company.zuora.tenantId, entityIds: (fixtures.zuora.tenants[c]?.entities ?? []).map((entity) => entity.id) },
    m3ter: { orgId: company.m3ter.orgId },
    revio: { clientCode: company.revio.clientCode },
  }));
}
