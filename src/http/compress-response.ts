/**
 * Compression of GraphQL answers, with node:zlib: brotli when the client accepts it, else gzip,
 * and only from `minBytes` up. Levels and threshold come from `npm run bench:compression`
 * (bench/compression.ts; the table is in bench/results/compression.md). On the W1 entity graph
 * answer (large sandbox, 89,844 bytes), CPU per answer and bytes left:
 *
 *   brotli q1  0.10 ms   6,237 B      gzip -1  0.25 ms   8,961 B
 *   brotli q4  0.40 ms   5,718 B      gzip -6  0.59 ms   7,581 B
 *   brotli q11  112 ms   5,306 B      gzip -9  1.04 ms   7,375 B
 *
 * Brotli at quality 1 is cheaper than any gzip level and smaller than all of them; higher
 * qualities buy a few hundred bytes at four times the CPU and more. gzip level 1 keeps 90% of
 * what level 9 saves for a quarter of its CPU. Below 1 KiB an answer saves at most a few hundred
 * bytes, less than one packet, and a 116-byte entity lookup grows by 11 bytes under gzip; from
 * 3.8 KB (the README's graph query) it saves 80% for 0.02 ms.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type ContentEncoding = 'br' | 'gzip';

export const DEFAULT_COMPRESSION_MIN_BYTES = 1024;
export const BROTLI_QUALITY = 1;
export const GZIP_LEVEL = 1;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The encoding to answer in, from `Accept-Encoding` (RFC 9110 §12.5.3): the first of br, gzip
 * with a q-value above 0; `*` accepts both unless named with q=0. `undefined`: send it as is.
 */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding | undefined {
  if (acceptEncoding === undefined || acceptEncoding === '') return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((param) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const accepts = (name: ContentEncoding): boolean => (weights.get(name) ?? (weights.get('*') ?? 0)) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : undefined;
}

/** The body in `encoding`; zlib runs on the thread pool, so the event loop goes on meanwhile. */
export function compress(body: string, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === 'br') {
    return brotli(Buffer.from(body, 'utf8'), {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body) },
    });
  }
  return gzip(body, { level: GZIP_LEVEL });
}
