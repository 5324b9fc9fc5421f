import type DataLoader from 'dataloader';
import { tracedBatch } from '../tracing/traced-batch.js';

/** Told the size of every batch a loader runs, for the `interlink_dataloader_batch_size` histogram. */
export type BatchObserver = (loader: string, size: number) => void;

/** `batch` as is, or reporting each run's key count to `observe` first. */
export function observed<K, V>(loader: string, batch: DataLoader.BatchLoadFn<K, V>, observe: BatchObserver | undefined): DataLoader.BatchLoadFn<K, V> {
  // In a span per run while tracing is on (src/tracing/traced-batch.ts); `batch` itself otherwise.
  const run = tracedBatch(loader, batch);
  if (observe === undefined) return run;
  return (keys) => {
    observe(loader, keys.length);
    return run(keys);
  };
}
