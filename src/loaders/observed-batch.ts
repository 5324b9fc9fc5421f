import type DataLoader from 'dataloader';

/** Told the size of every batch a loader runs, for the `interlink_dataloader_batch_size` histogram. */
export type BatchObserver = (loader: string, size: number) => void;

/** `batch` as is, or reporting each run's key count to `observe` first. */
export function observed<K, V>(loader: string, batch: DataLoader.BatchLoadFn<K, V>, observe: BatchObserver | undefined): DataLoader.BatchLoadFn<K, V> {
  if (observe === undefined) return batch;
  return (keys) => {
    observe(loader, keys.length);
    return batch(keys);
  };
}
