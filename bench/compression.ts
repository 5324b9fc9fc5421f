/**
 * What compressing GraphQL answers costs and saves: each real answer (W1 entity graph on the
 * large sandbox, the README's graph query, a one-entity lookup) through gzip and brotli at
 * several levels, with the CPU time per compression and the bytes left. The figures behind the
 * levels and threshold in src/http/compress-response.ts; results go to bench/results/compression.md.
 *
 *   npm run bench:compression            (--iterations=N, default 200 per row)
 */
import { writeFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { SAMPLE_QUERY } from '../src/sample-query.js';
import { startInProcessGateway } from './in-process-gateway.js';
import { readFileSync } from 'node:fs';

const iterations = Number(process.argv.find((arg) => arg.startsWith('--iterations='))?.split('=')[1] ?? 200);
const W1 = readFileSync(new URL('./workloads/w1-entity-graph/interlink.graphql', import.meta.url), 'utf8');

interface Codec {
  name: string;
  run(input: Buffer): Buffer;
}

const codecs: Codec[] = [
  ...[1, 4, 6, 9].map((level) => ({ name: `gzip -${level}`, run: (input: Buffer) => zlib.gzipSync(input, { level }) })),
  ...[1, 4, 5, 6, 11].map((quality) => ({
    name: `brotli q${quality}`,
    run: (input: Buffer) =>
      zlib.brotliCompressSync(input, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: input.length },
      }),
  })),
];

/** CPU milliseconds (user + system) per run of `fn`, over `n` runs after a short warm-up. */
function cpuMsPer(fn: () => void, n: number): number {
  for (let i = 0; i < Math.min(20, n); i += 1) fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 1) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

async function answers(): Promise<{ name: string; body: Buffer }[]> {
  const large = await startInProcessGateway({ size: 'large', env: { INTERLINK_COMPRESSION: 'off' } });
  const small = await startInProcessGateway({ size: 'small', env: { INTERLINK_COMPRESSION: 'off' } });
  try {
    const w1 = await large.post(W1);
    const graph = await small.post(SAMPLE_QUERY);
    const entityId = (JSON.parse(w1.text) as any).data.entities.nodes[1].entityId as string;
    const lookup = await large.post(`{ entity(id: "${entityId}") { entityId name status } }`);
    const error = await large.post('{ entity(id: "nope") { name } }');
    return [
      { name: 'W1 entity graph (large)', body: Buffer.from(w1.text) },
      { name: "README graph query (small)", body: Buffer.from(graph.text) },
      { name: 'W3 entity lookup', body: Buffer.from(lookup.text) },
      { name: 'an error answer', body: Buffer.from(error.text) },
    ];
  } finally {
    await large.close();
    await small.close();
  }
}

const rows: string[] = ['| Answer | Bytes | Codec | Bytes after | Saved | CPU ms per answer | Saved KiB per CPU ms |', '| --- | ---: | --- | ---: | ---: | ---: | ---: |'];
for (const { name, body } of await answers()) {
  // Fewer runs for the big answer at slow levels: the per-answer figure settles quickly.
  for (const codec of codecs) {
    const out = codec.run(body);
    const n = body.length > 100_000 && /q11|-9/.test(codec.name) ? Math.max(10, Math.floor(iterations / 10)) : iterations;
    const ms = cpuMsPer(() => codec.run(body), n);
    const saved = body.length - out.length;
    rows.push(`| ${name} | ${body.length} | ${codec.name} | ${out.length} | ${((100 * saved) / body.length).toFixed(1)}% | ${ms.toFixed(3)} | ${(saved / 1024 / ms).toFixed(1)} |`);
  }
}
const table = rows.join('\n');
process.stdout.write(`${table}\n`);
const results = new URL('./results/compression.md', import.meta.url);
writeFileSync(results, `# Compression of GraphQL answers\n\n\`npm run bench:compression\`, node ${process.version}, ${iterations} runs per row (fewer for the slowest levels on the large answer).\n\n${table}\n`);
process.stdout.write(`\nwritten to ${results.pathname}\n`);
