import { describe, expect, it } from 'vitest';
import { Router } from '../../../sandbox/core/router.js';

const noop = () => ({ status: 200 });

describe('Router', () => {
  const router = new Router().on('GET', '/v1/entities/{id}', noop).on('PUT', '/v1/entities/{id}', noop).on('GET', '/v1/entities', noop);

  it('matches templates and decodes parameters', () => {
    const match = router.match('GET', '/v1/entities/a%2Fb');
    expect(match).toMatchObject({ found: true, params: { id: 'a/b' } });
  });

  it('lists the allowed methods when only the method differs', () => {
    expect(router.match('DELETE', '/v1/entities/x')).toEqual({ found: false, allowed: ['GET', 'PUT'] });
  });

  it('reports no route, with nothing allowed, for an unknown path', () => {
    expect(router.match('GET', '/v2/entities')).toEqual({ found: false, allowed: [] });
  });

  it('returns undefined for undecodable percent-encoding so the caller can answer 400', () => {
    expect(router.match('GET', '/v1/entities/%E0%A4%A')).toBeUndefined();
  });

  it('is case-sensitive unless asked otherwise', () => {
    expect(router.match('GET', '/V1/Entities')).toMatchObject({ found: false });
    const loose = new Router({ caseInsensitive: true }).on('GET', '/v1/IntegrationKeyLink/{id}', noop);
    expect(loose.match('GET', '/v1/integrationkeylink/7')).toMatchObject({ found: true, params: { id: '7' } });
  });
});
