/**
 * The fast `createNativeRequestOptions` gives `http.request` exactly what got's own gives, for
 * every shape of options a client can set: same keys, same values. A got upgrade that changes the
 * method shows up here first.
 */
import http from 'node:http';
import https from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import got, { Options, type OptionsInit } from 'got';
import { describe, expect, it } from 'vitest';
import { fastRequestOptions, gotsRequestOptions, useFastRequestOptions } from '../../../src/upstreams/got-request-options.js';

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
const lookup = ((_hostname: string, _options: unknown, callback: (error: null, address: string, family: number) => void) => callback(null, '127.0.0.1', 4)) as unknown as OptionsInit['dnsLookup'];

const shapes: Record<string, [string, OptionsInit]> = {
  'plain http GET': ['http://127.0.0.1:8080/v1/entities', {}],
  'what the vendor clients set': [
    'https://rest.zuora.example/v1/entities',
    { agent: agents, method: 'POST', headers: { 'zuora-entity-ids': 'a', authorization: 'Bearer t' }, timeout: { request: 500 }, throwHttpErrors: false, followRedirect: false, responseType: 'text', json: { a: 1 } },
  ],
  'https with TLS settings': [
    'https://api.example/v1',
    {
      https: {
        rejectUnauthorized: false,
        certificateAuthority: 'CA',
        certificate: 'CERT',
        key: 'KEY',
        passphrase: 'secret',
        serverName: 'api.example',
        ciphers: 'TLS_AES_128_GCM_SHA256',
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        alpnProtocols: ['http/1.1'],
        checkServerIdentity: () => undefined,
      },
    },
  ],
  'lookup, family, local address, header size, no Host': ['http://api.example/x', { dnsLookup: lookup, dnsLookupIpVersion: 4, localAddress: '127.0.0.1', maxHeaderSize: 32_768, setHost: false }],
  'cache options': ['http://api.example/x', { cacheOptions: { shared: false, cacheHeuristic: 0.2, immutableMinTimeToLive: 1000, ignoreCargoCult: true } }],
  'unix socket': ['unix:/tmp/interlink.sock:/v1/entities', { enableUnixSockets: true }],
};

describe('got request options', () => {
  it.each(Object.entries(shapes))('matches got for %s', (_name, [url, init]) => {
    const options = new Options(url, init);
    expect(fastRequestOptions(options)).toStrictEqual(gotsRequestOptions(options));
  });

  it('matches got for the options of a client made with got.extend', () => {
    const client = got.extend({ prefixUrl: 'http://127.0.0.1:9/', agent: agents, timeout: { request: 8000 }, hooks: { beforeRequest: [() => undefined] } });
    const options = new Options('v1/entities', { searchParams: { page: 2 }, headers: { 'x-request-id': 'r1' } }, client.defaults.options);
    expect(fastRequestOptions(options)).toStrictEqual(gotsRequestOptions(options));
  });

  it('leaves HTTP/2 to got', () => {
    const options = new Options('https://api.example/x', { http2: true });
    expect(fastRequestOptions(options)).toStrictEqual(gotsRequestOptions(options));
  });

  it('carries a request once installed', async () => {
    useFastRequestOptions();
    const server = http.createServer((req, res) => res.end(JSON.stringify({ method: req.method, path: req.url, header: req.headers['x-probe'] })));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = await got.post(`http://127.0.0.1:${port}/v1/things?page=2`, { headers: { 'x-probe': 'yes' }, agent: agents, json: {} }).json();
      expect(body).toEqual({ method: 'POST', path: '/v1/things?page=2', header: 'yes' });
    } finally {
      server.close();
    }
  });
});
