/**
 * `/readyz` probes from the process-wide vendors: one cheap authenticated read per configured
 * credential (each vendor's row says which), so a wrong secret or an unreachable host at any
 * tenant makes the gateway unready.
 *
 * A probe's failure carries the upstream error's code (UPSTREAM_AUTH_FAILED, …) to the response.
 * A probe bypasses the tenant limiters (one call per round), so a backlog of requests waiting for
 * a rate-limited vendor does not time it out.
 */
import type { ReadinessProbe } from './health.js';
import type { Upstreams } from '../upstreams/index.js';

export function readinessProbes(upstreams: Upstreams): Record<string, ReadinessProbe> {
  return Object.fromEntries(upstreams.vendors.map(({ module, connected }) => [module.name, () => connected.probe()]));
}
