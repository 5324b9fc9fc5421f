import type DataLoader from 'dataloader';
import { SpanStatusCode } from '@opentelemetry/api';
import { activeTracer } from './active-tracer.js';

/**
 * `batch` in a span per run, named for its loader and carrying its key count; active while the
 * batch runs, so the vendor calls it makes are its children. `batch` itself when tracing is off.
 */
export function tracedBatch<K, V>(loader: string, batch: DataLoader.BatchLoadFn<K, V>): DataLoader.BatchLoadFn<K, V> {
  const tracer = activeTracer();
  if (tracer === undefined) return batch;
  return (keys) =>
    tracer.startActiveSpan(`dataloader batch ${loader}`, { attributes: { 'interlink.loader': loader, 'interlink.batch.size': keys.length } }, async (span) => {
      try {
        return await batch(keys);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    });
}
