import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectMatchesSpec } from '../helpers/vendor-spec.js';
import { revioTenant } from './revio-tenant.js';

const LIST = '/v1/IntegrationKeyLink';

describe('Rev.io sandbox: limits and injected failures', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // Vendor limits on, as by default; each test narrows them to something a test can reach.
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it('answers 429 in the gateway shape with Retry-After once a key passes its per-minute rate', async () => {
    sandbox.setLimits('revio', { windows: [{ name: 'per-minute', max: 3, windowMs: 60_000, answer: 'rate-limited' }] });
    const a = revioTenant(sandbox, 0);
    for (let i = 0; i < 3; i++) expect((await a.call(LIST)).status).toBe(200);
    const res = await a.call(LIST);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, message: expect.any(String) });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expectMatchesSpec('revio', 'GET', LIST, 429, res.body);
    // Counted per subscription key: another client still gets through.
    expect((await revioTenant(sandbox, 1).call(LIST)).status).toBe(200);
  });

  it('answers 403 in the gateway shape with Retry-After once a key exhausts its quota', async () => {
    sandbox.setLimits('revio', { windows: [{ name: 'per-day', max: 1, windowMs: 86_400_000, answer: 'quota-exhausted' }] });
    const a = revioTenant(sandbox, 0);
    expect((await a.call(LIST)).status).toBe(200);
    const res = await a.call(`${LIST}/1`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, message: expect.any(String) });
    expect(res.body).not.toHaveProperty('ok');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
    expectMatchesSpec('revio', 'GET', '/v1/IntegrationKeyLink/{id}', 403, res.body);
  });

  it('renders an injected server error in the application shape', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'server-error', status: 502, times: 1 }] });
    const a = revioTenant(sandbox, 0);
    const res = await a.call(LIST);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ ok: false, message: expect.any(String) });
    expectMatchesSpec('revio', 'GET', LIST, 502, res.body);
    expect((await a.call(LIST)).status).toBe(200);
  });

  it('renders an injected rate limit as the gateway 429', async () => {
    sandbox.setFaults('revio', { rules: [{ kind: 'rate-limited', times: 1, retryAfterS: 7 }] });
    const res = await revioTenant(sandbox, 0).call(LIST, { method: 'POST', body: {} });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expectMatchesSpec('revio', 'POST', LIST, 429, res.body);
  });
});
