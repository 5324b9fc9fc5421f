import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { requestIdFrom } from '../../../src/observability/request-id.js';
import { UpstreamTimeoutError } from '../../../src/errors.js';
import { captureLogs } from './capture-logs.js';

const SECRETS = ['Bearer tok-abc123', 'p4ssw0rd!', 'ilk_live_apikey42', 'zuora-client-secret-9', 'revio-sub-key-7', 'session=cookie1'];

describe('createLogger', () => {
  it('writes JSON lines at the configured level with a service field', () => {
    const logs = captureLogs();
    const logger = createLogger({ level: 'warn', destination: logs.destination });
    logger.info('hidden');
    logger.warn({ requestId: 'r1' }, 'shown');
    expect(logs.lines()).toEqual([expect.objectContaining({ level: 40, service: 'interlink', requestId: 'r1', msg: 'shown' })]);
  });

  it('censors credential fields wherever they sit, up to three levels down', () => {
    const logs = captureLogs();
    createLogger({ destination: logs.destination }).info(
      {
        password: SECRETS[1],
        apiKey: SECRETS[2],
        upstream: { clientSecret: SECRETS[3], auth: { token: SECRETS[0] } },
        vendor: { request: { headers: { 'ocp-apim-subscription-key': SECRETS[4], cookie: SECRETS[5] } } },
        variables: { input: { accessToken: SECRETS[0] } },
      },
      'config dump',
    );
    const [line] = logs.raw;
    for (const secret of SECRETS) expect(line).not.toContain(secret);
    expect(logs.lines()[0]).toMatchObject({ password: '[REDACTED]', upstream: { clientSecret: '[REDACTED]', auth: { token: '[REDACTED]' } } });
  });

  it('never logs a raw header set: only allow-listed headers, and a request as method and path', () => {
    const logs = captureLogs();
    const headers = { authorization: SECRETS[0], 'x-api-key': SECRETS[2], cookie: SECRETS[5], 'x-request-id': 'abc', 'user-agent': 'curl/8', 'x-custom-token': 'tok-xyz' };
    const logger = createLogger({ destination: logs.destination });
    logger.info({ headers }, 'headers');
    logger.info({ req: { method: 'GET', url: '/graphql?query={a}&variables={"password":"p4ssw0rd!"}', headers } }, 'req');
    const [first, second] = logs.lines();
    expect(first?.headers).toEqual({ 'x-request-id': 'abc', 'user-agent': 'curl/8' });
    expect(second?.req).toEqual({ method: 'GET', path: '/graphql', headers: { 'x-request-id': 'abc', 'user-agent': 'curl/8' } });
    for (const secret of [...SECRETS, 'tok-xyz']) expect(logs.raw.join('')).not.toContain(secret);
  });

  it("serializes errors by name, code, message and stack, using an UpstreamError's safe fields", () => {
    const logs = captureLogs();
    const error = new UpstreamTimeoutError({ vendor: 'zuora', operation: 'listEntities', retryable: true, requestId: 'zr-1', attempts: 3 });
    const wrapper = Object.assign(new Error('request failed'), { options: { headers: { authorization: SECRETS[0] } }, cause: error });
    createLogger({ destination: logs.destination }).error({ err: wrapper }, 'failed');
    const [line] = logs.lines();
    expect(line?.err).toMatchObject({ type: 'Error', message: 'request failed', cause: { type: 'UpstreamTimeoutError', code: 'UPSTREAM_TIMEOUT', vendor: 'zuora', requestId: 'zr-1' } });
    expect(line?.err.stack).toContain('request failed');
    expect(logs.raw[0]).not.toContain(SECRETS[0]);
  });
});

describe('requestIdFrom', () => {
  it('keeps a short, plain client id', () => {
    expect(requestIdFrom('req-42_A.b')).toBe('req-42_A.b');
    expect(requestIdFrom('  trimmed  ')).toBe('trimmed');
    expect(requestIdFrom('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('replaces a missing, long or unsafe id with a new UUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const given of [undefined, '', 'x'.repeat(65), 'a b', 'id\r\nSet-Cookie: x', 'é']) expect(requestIdFrom(given)).toMatch(uuid);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
