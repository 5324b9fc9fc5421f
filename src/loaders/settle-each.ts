/**
 * Runs one upstream call per key and answers every key in key order: the value, or the `Error`
 * that key's call failed with. For lookups with no batch endpoint upstream (Zuora connections,
 * one per entity), so one failing key does not fail its neighbours.
 */
export async function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  const settled = await Promise.allSettled(keys.map(async (key) => load(key)));
  return settled.map((result) => (result.status === 'fulfilled' ? result.value : asError(result.reason)));
}

export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
