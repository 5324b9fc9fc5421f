/**
 * `/readyz` probes from the process-wide vendors: one cheap authenticated read per configured
 * credential (each vendor's row says which), so a wrong secret or an unreachable host at any
 * tenant makes the gateway unready.
 *
 * A probe's failure carries the upstream error's code (UPSTREAM_AUTH_FAILED, …) to the response.
 * A probe takes the next turn at the tenant limiters (fair-queue.ts), within their caps: after an
 * outage fifty requests' replays wait for a rate-limited vendor, and a probe behind one turn of
 * each would not answer in time.
 */
import type { ReadinessProbe } from './health.js';
import type { Upstreams } from '../upstreams/index.js';

export function readinessProbes(upstreams: Upstreams): Record<string, ReadinessProbe> {
  return Object.fromEntries(upstreams.vendors.map(({ module, connected }) => [module.name, () => connected.probe()]));
}
