/**
 * The "one key floods" phase: one API key keeps `concurrency` heavy reads in flight (each fans out
 * to a page of entities and their links, so it waits at the vendors' rate limits holding its
 * execution slot), while another company's key sends one cheap query every `probeEveryMs`. Fair
 * admission (src/http/admission.ts) must keep the probe's latency what it is without the flood;
 * the probe's answers are what the check reads.
 */
export interface FloodResult {
  /** The flooding key's requests, by HTTP status. */
  flood: Record<string, number>;
  /** Each probe's latency and status. */
  probes: { latencyMs: number; status: number }[];
}

/** Varied, so no two requests in flight are identical: each one is executed, none joins another. */
const heavy = (n: number) => `{ entities(first: ${60 + (n % 41)}) { nodes { name externalLinks { id external { id } } connections(first: ${10 + (n % 37)}) { nodes { id } } } } }`;
const CHEAP = '{ entities(first: 1) { nodes { name } } }';

export async function floodAndProbe(options: { url: string; floodKey: string; probeKey: string; durationMs: number; concurrency: number; probeEveryMs: number }): Promise<FloodResult> {
  const { url, floodKey, probeKey, durationMs, concurrency, probeEveryMs } = options;
  const endAt = performance.now() + durationMs;
  const result: FloodResult = { flood: {}, probes: [] };
  const post = async (key: string, query: string): Promise<number> => {
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(20_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  };
  let sent = 0;
  const flooder = async () => {
    while (performance.now() < endAt) {
      const status = await post(floodKey, heavy((sent += 1)));
      result.flood[status] = (result.flood[status] ?? 0) + 1;
    }
  };
  const prober = async () => {
    while (performance.now() < endAt) {
      const started = performance.now();
      const status = await post(probeKey, CHEAP);
      result.probes.push({ latencyMs: performance.now() - started, status });
      await new Promise((resolve) => setTimeout(resolve, probeEveryMs));
    }
  };
  await Promise.all([...Array.from({ length: concurrency }, flooder), prober()]);
  return result;
}
