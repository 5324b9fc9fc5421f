/**
 * `/healthz` and `/readyz`, framework-free: `createHealthHandler(options)` returns one
 * `(req, res) => boolean` that answers both paths and returns `false` for anything else.
 *
 * - `/healthz`: the process is alive and serving HTTP. 200 `{"status":"ok"}`, nothing checked,
 *   so a slow vendor never gets the gateway restarted.
 * - `/readyz`: every configured upstream is reachable and accepts our credentials, by running
 *   the named probes (built by the entry point from the clients: Zuora `listEntities`, m3ter
 *   `getConfiguration`, Rev.io `listSystems`). 200 `{"status":"ready","upstreams":{"zuora":"ok",…}}`
 *   or 503 `{"status":"unavailable","failing":["m3ter"],"upstreams":{"m3ter":{"status":"failing","code":"UPSTREAM_AUTH_FAILED","consecutiveFailures":3},…}}`.
 *   Only names, error codes and counts: no hosts, messages or vendor bodies.
 *
 * One failed round does not take the gateway out of rotation: a probe that has answered before
 * counts as failing only after `failuresToFail` failed rounds in a row (default 3), so one slow
 * vendor call does not make `/readyz` flap, or at once when the vendor's circuit is open (its
 * calls already failed as an outage several times in a row). Until then it shows as `degraded` (with its code
 * and count) in a 200. A probe that has never answered fails at once: a gateway that never
 * reached a vendor, say with a wrong secret, is not ready. One good round clears the count.
 *
 * One round of probes serves every `/readyz` for `cacheMs` (a load balancer polling from many
 * nodes must not turn into vendor traffic), and concurrent requests share a round in flight. A
 * round that found any vendor's probe failing or degraded serves only for `recheckMs` (default 500 ms): the
 * state is moving, and the gateway should be back in rotation soon after its vendor is, not a
 * whole cache period later. While a vendor's circuit is open its probe costs no vendor call.
 * A probe answered with a rate limit (UPSTREAM_RATE_LIMITED) counts as `ok`: the vendor is up.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Resolves when the upstream answered an authenticated call; rejects (ideally with a GatewayError) otherwise. */
export type ReadinessProbe = () => Promise<unknown>;

export interface HealthHandlerOptions {
  /** Named probes, e.g. `{ zuora: () => zuora.listEntities(), m3ter: ..., revio: ... }`. */
  probes: Readonly<Record<string, ReadinessProbe>>;
  /** How long one round of probes answers `/readyz`; default 5000 ms (`config.server.readinessCacheMs`). */
  cacheMs?: number;
  /** How long a round with any probe failing or degraded answers `/readyz`; default the smaller of 500 ms and `cacheMs`. */
  recheckMs?: number;
  /** A probe that has not settled by then fails with `TIMEOUT`; default 5000 ms. */
  timeoutMs?: number;
  /**
   * Failed rounds in a row after which a probe that has answered before makes `/readyz` 503;
   * default `DEFAULT_FAILURES_TO_FAIL`. With `recheckMs` this is how long an outage is ridden out:
   * about (failuresToFail - 1) × recheckMs.
   */
  failuresToFail?: number;
  /**
   * Probes that report but never make `/readyz` 503: a part whose loss leaves the gateway useful
   * (the shared idempotency store: reads go on, writes with a clientMutationId are refused as
   * retryable). Their failure shows as `degraded`, with its code and count.
   */
  advisory?: readonly string[];
  /**
   * Setup problems that break a promise without failing a probe (a Redis without persistence):
   * listed as `warnings` codes in every `/readyz` answer, never a reason for 503. Checked each round.
   */
  warnings?: () => Promise<readonly string[]>;
  /** Called once per failed probe per round, for logs (the response itself says less). */
  onProbeFailure?: (name: string, error: unknown) => void;
  /** For tests: a millisecond clock for cache expiry. */
  now?: () => number;
}

/** Three failed rounds in a row: one slow call (or two) is noise, three is an outage. */
export const DEFAULT_FAILURES_TO_FAIL = 3;

/** `confirmed`: the outage is already established (the vendor's circuit is open), so no need to wait for more rounds. */
type ProbeResult = 'ok' | { code: string; confirmed: boolean };
type UpstreamStatus = 'ok' | { status: 'failing' | 'degraded'; code: string; consecutiveFailures: number };

interface Readiness {
  ready: boolean;
  /** Every probe answered: the round may serve for the whole `cacheMs`. */
  settled: boolean;
  body: string;
}

export function createHealthHandler(options: HealthHandlerOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { probes, cacheMs = 5000, timeoutMs = 5000, failuresToFail = DEFAULT_FAILURES_TO_FAIL, onProbeFailure, advisory = [] } = options;
  const recheckMs = Math.min(options.recheckMs ?? 500, cacheMs);
  const now = options.now ?? Date.now;
  let cached: { at: number; readiness: Readiness } | undefined;
  let inFlight: Promise<Readiness> | undefined;
  /** Per probe: failed rounds in a row, and whether it has ever answered. */
  const history = new Map<string, { failures: number; answered: boolean }>();

  const statusOf = (name: string, result: ProbeResult): UpstreamStatus => {
    const seen = history.get(name) ?? { failures: 0, answered: false };
    history.set(name, seen);
    if (result === 'ok') {
      Object.assign(seen, { failures: 0, answered: true });
      return 'ok';
    }
    seen.failures += 1;
    const failing = !advisory.includes(name) && (!seen.answered || result.confirmed || seen.failures >= failuresToFail);
    return { status: failing ? 'failing' : 'degraded', code: result.code, consecutiveFailures: seen.failures };
  };

  const probeAll = async (): Promise<Readiness> => {
    const names = Object.keys(probes);
    const [results, warnings] = await Promise.all([
      Promise.all(names.map((name) => runProbe(name, probes[name] as ReadinessProbe, timeoutMs, onProbeFailure))),
      // A check that cannot run (Redis away) says nothing: the redis probe reports that.
      options.warnings?.().catch(() => []) ?? [],
    ]);
    const statuses = names.map((name, index) => statusOf(name, results[index] as ProbeResult));
    const upstreams = Object.fromEntries(names.map((name, index) => [name, statuses[index]]));
    const failing = names.filter((_name, index) => {
      const status = statuses[index];
      return status !== undefined && status !== 'ok' && status.status === 'failing';
    });
    const ready = failing.length === 0;
    // An advisory part's trouble does not speed up the vendors' probes.
    const settled = names.every((name, index) => statuses[index] === 'ok' || advisory.includes(name));
    const noted = warnings.length === 0 ? {} : { warnings };
    return { ready, settled, body: JSON.stringify(ready ? { status: 'ready', upstreams, ...noted } : { status: 'unavailable', failing, upstreams, ...noted }) };
  };

  const readiness = (): Promise<Readiness> => {
    if (cached !== undefined && now() - cached.at < (cached.readiness.settled ? cacheMs : recheckMs)) return Promise.resolve(cached.readiness);
    inFlight ??= probeAll()
      .then((result) => {
        cached = { at: now(), readiness: result };
        return result;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/healthz' && path !== '/readyz') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, JSON.stringify({ status: 'method not allowed' }), { allow: 'GET, HEAD' });
      return true;
    }
    if (path === '/healthz') {
      send(req, res, 200, JSON.stringify({ status: 'ok' }));
      return true;
    }
    readiness().then(
      (result) => send(req, res, result.ready ? 200 : 503, result.body),
      // probeAll catches every probe's failure; this is for a bug in it, answered without detail.
      () => send(req, res, 503, JSON.stringify({ status: 'unavailable' })),
    );
    return true;
  };
}

async function runProbe(name: string, probe: ReadinessProbe, timeoutMs: number, onFailure: HealthHandlerOptions['onProbeFailure']): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`readiness probe ${name} did not settle within ${timeoutMs} ms`), { code: 'TIMEOUT' })), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(probe), timeout]);
    return 'ok';
  } catch (error) {
    const { code, vendorCode } = (error ?? {}) as { code?: unknown; vendorCode?: unknown };
    // A rate-limited answer is an answer, not a failure to log: the vendor is up and wants fewer
    // calls, which taking this replica out of rotation would not give it (circuit-breakers.ts
    // counts a 429 the same way).
    if (code === 'UPSTREAM_RATE_LIMITED') return 'ok';
    try {
      onFailure?.(name, error);
    } catch {
      // A logging listener must not change the answer.
    }
    // An open circuit means calls in a row already failed as an outage does (circuit-breakers.ts).
    return { code: typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'UNAVAILABLE', confirmed: vendorCode === 'CIRCUIT_OPEN' };
  } finally {
    clearTimeout(timer);
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}
