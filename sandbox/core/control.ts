import type { SandboxClock } from './clock.js';
import { parseVendorFaults, type FaultPlan, type VendorLimits } from './faults.js';
import type { Ledger, LedgerFilter } from './ledger.js';
import { Router } from './router.js';
import { VENDORS, type SandboxRequest, type SandboxResponse, type Vendor, type VendorApp } from './types.js';

export interface ControlTargets {
  ledger: Ledger;
  clock: SandboxClock;
  plans: Record<Vendor, FaultPlan>;
  apps: Record<Vendor, VendorApp>;
  info: () => unknown;
  reset: () => void;
  /** Closes a vendor's port for `ms`, then opens it again. */
  refuseConnections: (vendor: Vendor, ms: number) => Promise<void>;
  /** Every simulator away and back, tokens forgotten, data kept. */
  restart: () => Promise<void>;
}

/** Longest refusal the control API schedules: an outage drill, not a shutdown. */
const MAX_REFUSAL_MS = 600_000;

/** After the control answer has gone out: the port it came through is about to close. */
const afterAnswer = (work: () => Promise<void>): void => {
  setTimeout(() => void work().catch((error: unknown) => console.error('[sandbox] control action failed:', error)), 20);
};

/**
 * The `/__sandbox/…` control API, served on every vendor port: ledger, faults, limits, clock and
 * reset for the whole sandbox. No vendor uses that prefix, so it cannot shadow a real path.
 */
export function createControlHandler(targets: ControlTargets): (req: SandboxRequest) => Promise<SandboxResponse> {
  const { ledger, clock, plans } = targets;
  const router = new Router()
    .on('GET', '/__sandbox/info', () => ok(targets.info()))
    .on('GET', '/__sandbox/ledger', (req) => {
      const filter = ledgerFilter(req.query);
      if (typeof filter === 'string') return bad(filter);
      const entries = ledger.list(filter);
      return ok({ total: ledger.total, count: entries.length, entries });
    })
    .on('DELETE', '/__sandbox/ledger', () => {
      ledger.reset();
      return ok({ ok: true });
    })
    .on('GET', '/__sandbox/faults', () => ok(Object.fromEntries(VENDORS.map((v) => [v, plans[v].config]))))
    .on('DELETE', '/__sandbox/faults', () => {
      for (const vendor of VENDORS) plans[vendor].setFaults({});
      return ok({ ok: true });
    })
    .on('PUT', '/__sandbox/faults/{vendor}', (req, params) => {
      const vendor = vendorParam(params.vendor);
      if (!vendor) return notFound(`unknown vendor "${params.vendor}"`);
      const parsed = parseVendorFaults(jsonBody(req));
      if (typeof parsed === 'string') return bad(parsed);
      plans[vendor].setFaults(parsed);
      return ok(parsed);
    })
    .on('GET', '/__sandbox/limits', () => ok(Object.fromEntries(VENDORS.map((v) => [v, plans[v].limitConfig]))))
    .on('PUT', '/__sandbox/limits/{vendor}', (req, params) => {
      const vendor = vendorParam(params.vendor);
      if (!vendor) return notFound(`unknown vendor "${params.vendor}"`);
      const body = jsonBody(req);
      if (body !== null && !isLimits(body)) return bad('limits must be null or { windows: [{ name, max, windowMs, answer }], inFlightPerTenant? }');
      plans[vendor].setLimits(body);
      return ok(body);
    })
    .on('POST', '/__sandbox/clock', (req) => {
      const body = jsonBody(req) as { advanceMs?: unknown } | undefined;
      if (typeof body?.advanceMs !== 'number' || body.advanceMs < 0) return bad('body must be { "advanceMs": <non-negative number> }');
      clock.advance(body.advanceMs);
      return ok({ now: new Date(clock.now()).toISOString() });
    })
    .on('POST', '/__sandbox/reset', () => {
      targets.reset();
      return ok({ ok: true });
    })
    .on('POST', '/__sandbox/refuse/{vendor}', (req, params) => {
      const vendor = vendorParam(params.vendor);
      if (!vendor) return notFound(`unknown vendor "${params.vendor}"`);
      const ms = (jsonBody(req) as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > MAX_REFUSAL_MS) return bad(`body must be { "ms": <1 to ${MAX_REFUSAL_MS}> }`);
      afterAnswer(() => targets.refuseConnections(vendor, ms));
      return { status: 202, body: { vendor, refusingForMs: ms } };
    })
    .on('POST', '/__sandbox/restart', () => {
      afterAnswer(() => targets.restart());
      return { status: 202, body: { restarting: true } };
    });

  return async (req) => {
    const match = router.match(req.method, req.path);
    if (!match) return bad('malformed path');
    if (!match.found) {
      return match.allowed.length > 0
        ? { status: 405, headers: { allow: match.allowed.join(', ') }, body: { message: `use ${match.allowed.join(' or ')}` } }
        : notFound(`no sandbox control route ${req.method} ${req.path}`);
    }
    return match.handler(req, match.params, { baseUrl: '', now: clock.now(), tokenLifetimeS: undefined });
  };
}

function ledgerFilter(query: URLSearchParams): LedgerFilter | string {
  const filter: LedgerFilter = {};
  const vendor = query.get('vendor');
  if (vendor !== null) {
    const v = vendorParam(vendor);
    if (!v) return `vendor must be one of ${VENDORS.join(', ')}`;
    filter.vendor = v;
  }
  const since = query.get('sinceSeq');
  if (since !== null) {
    if (!/^\d+$/.test(since)) return 'sinceSeq must be a non-negative integer';
    filter.sinceSeq = Number(since);
  }
  const method = query.get('method');
  if (method !== null) filter.method = method;
  const path = query.get('path');
  if (path !== null) filter.path = path;
  const tenant = query.get('tenant');
  if (tenant !== null) filter.tenant = tenant;
  return filter;
}

function vendorParam(value: string | undefined): Vendor | undefined {
  return VENDORS.find((v) => v === value);
}

function jsonBody(req: SandboxRequest): unknown {
  try {
    return req.body.length === 0 ? undefined : JSON.parse(req.body.toString('utf8'));
  } catch {
    return Symbol.for('invalid-json');
  }
}

function isLimits(value: unknown): value is VendorLimits {
  if (typeof value !== 'object' || value === null) return false;
  const { windows, inFlightPerTenant } = value as Record<string, unknown>;
  if (inFlightPerTenant !== undefined && !(typeof inFlightPerTenant === 'number' && inFlightPerTenant > 0)) return false;
  return Array.isArray(windows) && windows.every((w) => {
    const { name, max, windowMs, answer } = (w ?? {}) as Record<string, unknown>;
    return typeof name === 'string' && typeof max === 'number' && max > 0 && typeof windowMs === 'number' && windowMs > 0 && (answer === 'rate-limited' || answer === 'quota-exhausted');
  });
}

const ok = (body: unknown): SandboxResponse => ({ status: 200, body });
const bad = (message: string): SandboxResponse => ({ status: 400, body: { message } });
const notFound = (message: string): SandboxResponse => ({ status: 404, body: { message } });
