import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { expectError, expectSpec, orgCall, PATHS, sessionFor, tokenFor, type OrgSession } from './m3ter-helpers.js';

let sandbox: Sandbox;
let a: OrgSession;
let b: OrgSession;

beforeAll(async () => {
  // The vendor's own limits, as they are on by default: 50 requests per second per org.
  sandbox = await startSandbox();
  a = await sessionFor(sandbox, 0);
  b = await sessionFor(sandbox, 1);
});
afterAll(() => sandbox.close());

describe('m3ter: the per-org rate limit', () => {
  it('answers 429 {"message":"Too Many Requests"} without Retry-After past 50 calls a second, for that org only', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => orgCall(sandbox, a, 'GET', '/externalmappings')));
    const limited = results.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    for (const res of results) {
      if (res.status === 429) {
        expectError(res, 'GET', PATHS.list, 429);
        expect(res.body).toEqual({ message: 'Too Many Requests' });
        expect(res.headers).not.toHaveProperty('retry-after');
      } else {
        expectSpec(res, 'GET', PATHS.list, 200);
      }
    }
    // Another org has its own budget, and the token call counts against no org.
    expectSpec(await orgCall(sandbox, b, 'GET', '/externalmappings'), 'GET', PATHS.list, 200);
    expect(await tokenFor(sandbox, a.org)).toEqual(expect.any(String));
  });
});
