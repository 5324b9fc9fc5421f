/**
 * Large answers go compressed to clients that accept it (brotli first, then gzip); small ones,
 * and every answer to a client that accepts neither, go as they are. Read with node:http, which
 * (unlike fetch) shows the bytes as sent.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/http/compress-response.js';
import { SAMPLE_QUERY } from '../../src/sample-query.js';
import { ADMIN_KEY, withGateway } from '../helpers/gateway.js';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
}

describe('compressed answers', () => {
  const gw = withGateway();

  const raw = (query: string, acceptEncoding?: string): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ query });
      const request = http.request(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }) },
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });

  it('sends the graph answer brotli-compressed to a client accepting br, the same JSON once decoded', async () => {
    const plain = await raw(SAMPLE_QUERY);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024);
    const compressed = await raw(SAMPLE_QUERY, 'gzip, deflate, br');
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(compressed.headers['content-length'])).toBe(compressed.bytes.length);
    expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 2);
    expect(JSON.parse(zlib.brotliDecompressSync(compressed.bytes).toString('utf8'))).toEqual(JSON.parse(plain.bytes.toString('utf8')));
  });

  it('uses gzip for a client that does not take br', async () => {
    const compressed = await raw(SAMPLE_QUERY, 'gzip');
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(compressed.bytes).toString('utf8')).data.entities.nodes.length).toBeGreaterThan(0);
  });

  it('sends a small answer as it is, whatever the client accepts', async () => {
    const small = await raw('{ entities { totalCount } }', 'br, gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.bytes.length).toBeLessThan(1024);
    expect(JSON.parse(small.bytes.toString('utf8')).data.entities.totalCount).toBeGreaterThan(0);
  });

  it('sends the large answer as it is to a client that refuses both (q=0) or names only identity', async () => {
    expect((await raw(SAMPLE_QUERY, 'br;q=0, gzip;q=0')).headers['content-encoding']).toBeUndefined();
    expect((await raw(SAMPLE_QUERY, 'identity')).headers['content-encoding']).toBeUndefined();
  });
});

describe('Accept-Encoding', () => {
  it('prefers br, then gzip, honouring q-values and *', () => {
    expect(chooseEncoding(undefined)).toBeUndefined();
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0')).toBe('gzip');
    expect(chooseEncoding('deflate, identity')).toBeUndefined();
    expect(chooseEncoding('GZIP')).toBe('gzip');
  });
});
