/**
 * `interlink_http_connections_closed_total{reason}`: client sockets the gateway closed itself
 * (src/http/guard-connections.ts): `write_stall` (a client that stopped taking its answer),
 * `idle`, `over_cap` (past `INTERLINK_MAX_CONNECTIONS`). Counted, not logged: a flood of
 * connections past the cap would otherwise be a flood of log lines.
 */
import { Counter, type Registry } from 'prom-client';

export function countConnectionClosures(registry: Registry, prefix = 'interlink_'): (reason: string) => void {
  const closed = new Counter({
    name: `${prefix}http_connections_closed_total`,
    help: 'Client sockets closed by the gateway, by reason: write_stall (answer not taken), idle, over_cap (past the connection cap).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return (reason) => closed.inc({ reason });
}
