/**
 * Gauges of what the gateway's caches of client documents hold, read when `/metrics` is scraped:
 *
 *   interlink_document_cache_bytes / _entries         Apollo's parsed documents (execution/document-store.ts)
 *   interlink_compiled_plan_cache_bytes / _entries    graphql-jit plans (execution/operation-executor.ts)
 *
 * Bytes are the caches' own estimates of the heap their entries keep alive; each stays under its
 * cap, which is exported beside it as `*_max_bytes`.
 */
import { Gauge, type Registry } from 'prom-client';
import type { CacheSize } from '../lib/byte-bounded-lru.js';

export function registerCacheGauges(registry: Registry, caches: { documents: CacheSize; plans: CacheSize }, prefix = 'interlink_'): void {
  const named = { document_cache: caches.documents, compiled_plan_cache: caches.plans };
  for (const [name, cache] of Object.entries(named)) {
    const gauge = (suffix: string, help: string, read: () => number) =>
      new Gauge({
        name: `${prefix}${name}_${suffix}`,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    gauge('bytes', `Estimated heap held by the ${name.replaceAll('_', ' ')}, source text included.`, () => cache.bytes);
    gauge('entries', `Entries in the ${name.replaceAll('_', ' ')}.`, () => cache.size);
    gauge('max_bytes', `The cap on the ${name.replaceAll('_', ' ')}'s bytes.`, () => cache.maxBytes);
  }
}
