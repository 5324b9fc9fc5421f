import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultUpstreamDir, renderVendorCopies, stripVendorProse, VENDOR_COPY_DIR, VENDOR_SOURCES } from '../../scripts/copy-vendor-specs.js';
import { expectMatchesSpec, isDocumented } from '../helpers/vendor-spec.js';

const COPY_FILES = Object.keys(VENDOR_SOURCES);
const PROSE_KEYWORDS = ['description', 'summary', 'title', 'example', 'examples', 'externalDocs', 'x-code-samples', 'contact', 'license', 'termsOfService'];

/** The message `run` throws; fails the test if it does not throw. */
function errorOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a spec mismatch, but the body was accepted');
}

function readCopy(file: string): string {
  return readFileSync(join(VENDOR_COPY_DIR, file), 'utf8');
}

/** Every place a prose keyword survives. A key directly under `properties` is a field name, not a keyword. */
function findProse(node: unknown, path: string[] = []): string[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => findProse(item, [...path, String(index)]));
  if (typeof node !== 'object' || node === null) return [];
  const parentKey = path.at(-1);
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const isFieldName = parentKey === 'properties';
    const isInfoTitle = key === 'title' && path.length === 1 && parentKey === 'info';
    const isProse = PROSE_KEYWORDS.includes(key) || key.startsWith('x-stainless-');
    if (isProse && !isFieldName && !isInfoTitle) found.push(`#/${[...path, key].join('/')}`);
    if (parentKey === 'scopes' && value !== '') found.push(`#/${[...path, key].join('/')} (scope text)`);
    found.push(...findProse(value, [...path, key]));
  }
  return found;
}

const entity = (id: string, parentId: string | null) => ({
  id,
  name: `Entity ${id.slice(0, 4)}`,
  displayName: `Entity ${id.slice(0, 4)}`,
  locale: 'en_US',
  timezone: 'GMT',
  status: 'Provisioned',
  parentId,
  tenantId: '6398',
});
const ROOT_ID = '8a808255557baba1015580e12fa5083a';
const CHILD_ID = '8a80825555a3c7a10155b460f53858e6';

const mapping = {
  id: '6f1c2a52-7a0e-4f55-9a58-2c1f0d3e4b5a',
  version: 1,
  dtCreated: '2024-05-01T16:24:21.293Z',
  dtLastModified: '2024-05-01T16:24:21.293Z',
  createdBy: 'service-user-1',
  lastModifiedBy: 'service-user-1',
  m3terEntity: 'Account',
  m3terId: '0b7f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b',
  externalSystem: 'Zuora',
  externalTable: 'Entity',
  externalId: CHILD_ID,
};
const MAPPING_PATH = '/organizations/{orgId}/externalmappings/{id}';

const keyLink = {
  integration_key_link_id: 7001,
  integration_system_id: 10,
  integration_entity_type_id: 2,
  internal_id: 1015,
  external_id: CHILD_ID,
  created_date: '2024-05-01T16:24:21.293',
  created_by: null,
};

describe('vendor contract copies', () => {
  it('match a fresh regeneration from ../shared/upstream-specs byte for byte (without it: carry no prose)', () => {
    const upstreamDir = defaultUpstreamDir();
    if (existsSync(upstreamDir)) {
      for (const [file, text] of renderVendorCopies(upstreamDir)) {
        expect(existsSync(join(VENDOR_COPY_DIR, file)) && readCopy(file) === text, `schema/vendors/${file} is stale: run npm run vendor-specs`).toBe(true);
      }
    } else {
      // A clone without the shared folder cannot regenerate; it can still prove the copies are clean.
      for (const file of COPY_FILES) expect(findProse(JSON.parse(readCopy(file))), file).toEqual([]);
    }
  });

  it('keep no vendor prose keyword anywhere, in any of the three copies', () => {
    for (const file of COPY_FILES) {
      expect(findProse(JSON.parse(readCopy(file))), file).toEqual([]);
    }
  });

  it('keep facts: paths, enums, required lists, info.title and the source note', () => {
    const zuora = JSON.parse(readCopy('zuora.json'));
    expect(zuora.info).toEqual({ title: 'Zuora API Reference', version: '2017-07-12' });
    expect(zuora['x-interlink-source'].file).toBe(VENDOR_SOURCES['zuora.json']);
    expect(zuora.definitions.GETEntitiesType.properties.status.enum).toEqual(['Provisioned', 'Unprovisioned']);
    const m3ter = JSON.parse(readCopy('m3ter.json'));
    expect(m3ter.components.schemas.ExternalMappingRequest.required).toContain('externalId');
    const revio = JSON.parse(readCopy('revio.json'));
    expect(revio.paths['/v1/IntegrationSystem']['x-unsupported-methods']).toEqual(['POST', 'PUT', 'PATCH', 'DELETE']);
  });

  it('strips prose keywords but keeps a field that is named "description"', () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1', description: 'prose', contact: { name: 'x' } },
      tags: [{ name: 'Things', description: 'prose' }],
      paths: {
        '/things': {
          get: {
            summary: 'prose',
            responses: {
              '200': {
                description: 'prose',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      title: 'prose',
                      required: ['description'],
                      example: { description: 'sample' },
                      properties: { description: { type: 'string', description: 'prose', enum: ['a'] } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const copy = stripVendorProse(doc, 'things.yaml');
    expect(copy.tags).toEqual([{ name: 'Things' }]);
    expect(findProse(copy)).toEqual([]);
    expect(JSON.stringify((copy.paths as Record<string, unknown>)['/things'])).toBe(
      '{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"properties":{"description":{"enum":["a"],"type":"string"}},"required":["description"],"type":"object"}}}}}}}',
    );
  });

  it('refuses an unknown vendor extension instead of guessing whether it is prose', () => {
    expect(() => stripVendorProse({ openapi: '3.0.3', paths: { '/x': { 'x-marketing': 'Try it!' } } }, 'x.yaml')).toThrow(/x-marketing/);
  });
});

describe('expectMatchesSpec: Zuora (Swagger 2.0)', () => {
  const list = { entities: [entity(ROOT_ID, null), entity(CHILD_ID, ROOT_ID)], success: true };

  it('accepts a GET /v1/entities body whose root entity has parentId null', () => {
    expect(() => expectMatchesSpec('zuora', 'GET', '/v1/entities', 200, list)).not.toThrow();
  });

  it('rejects a wrong type and an unknown status, naming path, keyword and body', () => {
    const bad = { entities: [{ ...entity(CHILD_ID, ROOT_ID), status: 'Active' }], success: 'true' };
    const message = errorOf(() => expectMatchesSpec('zuora', 'get', '/v1/entities', 200, bad));
    expect(message).toContain('/success [type] must be boolean; got "true"');
    expect(message).toContain('/entities/0/status [enum]');
    expect(message).toMatch(/\nbody: \{"entities"/);
  });

  it('accepts a single entity with success, and a connection page with an absolute nextPage', () => {
    expect(() => expectMatchesSpec('zuora', 'GET', '/v1/entities/{id}', 200, { ...entity(CHILD_ID, ROOT_ID), success: true })).not.toThrow();
    const page = { entityConnections: [{ id: 'c'.repeat(32), sourceEntityId: ROOT_ID, targetEntityId: CHILD_ID, status: 'Pending' }], nextPage: 'http://127.0.0.1:4010/v1/entity-connections?page=2&pageSize=1', success: true };
    expect(() => expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, page)).not.toThrow();
    expect(() => expectMatchesSpec('zuora', 'GET', '/v1/entity-connections', 200, { ...page, nextPage: '/v1/entity-connections?page=2' })).toThrow(/nextPage \[format\]/);
  });

  it('accepts the token response and rejects a string expires_in', () => {
    const token = { access_token: 'a'.repeat(32), token_type: 'bearer', expires_in: 3599, scope: 'entity.x tenant.19', jti: 'b'.repeat(32) };
    expect(() => expectMatchesSpec('zuora', 'POST', '/oauth/token', 200, token)).not.toThrow();
    expect(() => expectMatchesSpec('zuora', 'POST', '/oauth/token', 200, { ...token, expires_in: '3599' })).toThrow(/expires_in \[type\]/);
  });

  it('treats 401 as not documented, since Z17 documents only 200', () => {
    expect(isDocumented('zuora', 'GET', '/v1/entities', 401)).toBe(false);
    expect(() => expectMatchesSpec('zuora', 'GET', '/v1/entities', 401, { message: 'Authentication error' })).toThrow(/not documented/);
  });

  it('throws on a path that is not a key of the spec', () => {
    expect(() => isDocumented('zuora', 'GET', '/v1/entities/abc', 200)).toThrow(/no path "\/v1\/entities\/abc"/);
  });
});

describe('expectMatchesSpec: m3ter (OpenAPI 3)', () => {
  it('accepts a Mapping and a page of Mappings', () => {
    expect(() => expectMatchesSpec('m3ter', 'GET', MAPPING_PATH, 200, mapping)).not.toThrow();
    const page = { data: [mapping], nextToken: 'eyJvIjoxMH0' };
    expect(() => expectMatchesSpec('m3ter', 'GET', '/organizations/{orgId}/externalmappings', 200, page)).not.toThrow();
  });

  it('rejects a Mapping without externalId or with a string version', () => {
    const { externalId: _dropped, ...missing } = mapping;
    expect(() => expectMatchesSpec('m3ter', 'PUT', MAPPING_PATH, 200, missing)).toThrow(/\[required\] must have required property 'externalId'/);
    expect(() => expectMatchesSpec('m3ter', 'DELETE', MAPPING_PATH, 200, { ...mapping, version: '1' })).toThrow(/\/version \[type\]/);
  });

  it('accepts the documented token with scope null, and rejects one without access_token', () => {
    const token = { token_type: 'Bearer', access_token: 'eyJ0eXAi.eyJzdWIi.c2ln', expires_in: 18000, scope: null };
    expect(() => expectMatchesSpec('m3ter', 'POST', '/oauth/token', 200, token)).not.toThrow();
    const { access_token: _dropped, ...missing } = token;
    expect(() => expectMatchesSpec('m3ter', 'POST', '/oauth/token', 200, missing)).toThrow(/access_token/);
  });

  it('falls back to the 4XX and 5XX range responses for error bodies', () => {
    expect(isDocumented('m3ter', 'GET', MAPPING_PATH, 404)).toBe(true);
    expect(() => expectMatchesSpec('m3ter', 'GET', MAPPING_PATH, 404, { message: 'Not found' })).not.toThrow();
    expect(() => expectMatchesSpec('m3ter', 'GET', MAPPING_PATH, 504, { message: 7 })).toThrow(/"5XX"[\s\S]*\/message \[type\]/);
  });

  it('throws not documented for a 302, which no range covers', () => {
    expect(() => expectMatchesSpec('m3ter', 'GET', MAPPING_PATH, 302, {})).toThrow(/not documented/);
  });
});

describe('expectMatchesSpec: Rev.io (reconstructed OpenAPI 3)', () => {
  const collection = { ok: true, has_more: false, record_count: 2, records: [keyLink, { ...keyLink, integration_key_link_id: 7002, created_by: 12 }] };

  it('accepts a collection envelope and a single resource with links', () => {
    expect(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationKeyLink', 200, collection)).not.toThrow();
    const single = { ok: true, ...keyLink, links: [{ rel: 'self', href: 'http://127.0.0.1:4012/v1/integrationkeylink/7001' }] };
    expect(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationKeyLink/{id}', 200, single)).not.toThrow();
  });

  it('rejects an envelope without has_more, and a record with an offset date or string created_by', () => {
    const { has_more: _dropped, ...missing } = collection;
    expect(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationKeyLink', 200, missing)).toThrow(/has_more/);
    const badRecord = { ...keyLink, created_date: '2024-05-01T16:24:21Z', created_by: 'admin' };
    const message = errorOf(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationKeyLink', 200, { ...collection, records: [badRecord] }));
    expect(message).toContain('/records/0/created_by [type]');
    expect(message).toContain('/records/0/created_date [pattern]');
  });

  it('accepts 201 {ok, id} and rejects a string id', () => {
    expect(() => expectMatchesSpec('revio', 'POST', '/v1/IntegrationKeyLink', 201, { ok: true, id: 7001 })).not.toThrow();
    expect(() => expectMatchesSpec('revio', 'POST', '/v1/IntegrationKeyLink', 201, { ok: true, id: '7001' })).toThrow(/\/id \[type\]/);
  });

  it('accepts either 401 shape, but not a body with neither', () => {
    expect(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationSystem', 401, { statusCode: 401, message: 'Access denied' })).not.toThrow();
    expect(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationSystem', 401, { ok: false, message: 'Bad credentials' })).not.toThrow();
    expect(() => expectMatchesSpec('revio', 'GET', '/v1/IntegrationSystem', 401, { error: 'nope' })).toThrow(/\[oneOf\]/);
  });

  it('documents 405 only for the methods a path lists as unsupported', () => {
    expect(isDocumented('revio', 'POST', '/v1/IntegrationSystem', 405)).toBe(true);
    expect(() => expectMatchesSpec('revio', 'DELETE', '/v1/IntegrationKeyLink', 405, { ok: false, message: 'Method not allowed' })).not.toThrow();
    expect(isDocumented('revio', 'GET', '/v1/IntegrationKeyLink', 405)).toBe(false);
  });

  it('uses the 5XX response for injected faults and throws not documented for a 409', () => {
    expect(() => expectMatchesSpec('revio', 'PUT', '/v1/IntegrationKeyLink/{id}', 503, { ok: false, message: 'Service unavailable' })).not.toThrow();
    expect(() => expectMatchesSpec('revio', 'PUT', '/v1/IntegrationKeyLink/{id}', 409, { ok: false, message: 'x' })).toThrow(/not documented/);
  });
});
