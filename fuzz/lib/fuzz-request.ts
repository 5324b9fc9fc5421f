/**
 * One generated HTTP request: a caller, a document (or a persisted id standing for one), an
 * operationName, a transport (POST, GET, GET with a body, POST with the operation in the URL
 * too, odd content types) and headers (tenant headers, authorization twice). `toRawRequest`
 * writes it as bytes on the wire would carry it.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import type { RawRequest } from '../../test/helpers/raw-request.js';
import { CALLER_NAMES, type CallerName } from './fuzz-callers.js';
import type { FuzzWorld } from './fuzz-world.js';
import { documentArbitrary, expandDeep, type GeneratedDocument } from './schema-documents.js';

export const TRANSPORTS = ['post', 'get', 'get-with-body', 'post-with-url-query', 'post-odd-type'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const PERSISTED = ['none', 'manifest-id', 'documentId', 'manifest-id-with-other-text', 'apq-of-text', 'unknown-hash'] as const;
export type Persisted = (typeof PERSISTED)[number];

export type AuthorizationShape = 'once' | 'twice-same' | 'twice-other' | 'lowercase-scheme';

export interface FuzzRequest {
  caller: CallerName;
  document: GeneratedDocument;
  /** `absent`: no operationName; `null`: JSON null; else the string sent. */
  operationName: { kind: 'absent' } | { kind: 'null' } | { kind: 'name'; value: string };
  persisted: Persisted;
  /** The manifest operation a persisted id names (index into the world's manifest). */
  manifestIndex: number;
  transport: Transport;
  /** Content type for `post-odd-type`. */
  contentType: string;
  authorization: AuthorizationShape;
  /** Tenant headers sent, each one value or two (a duplicate). */
  tenantHeaders: Record<string, string | string[]>;
}

const ODD_CONTENT_TYPES = ['text/plain', 'application/graphql', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-8', ''] as const;
const TENANT_HEADERS = { zuora: 'interlink-zuora-entity', m3ter: 'interlink-m3ter-org', revio: 'interlink-revio-client' } as const;

export function requestArbitrary(world: FuzzWorld, schema: GraphQLSchema): fc.Arbitrary<FuzzRequest> {
  const tenantHeader = (vendor: keyof typeof TENANT_HEADERS) =>
    fc.option(fc.oneof(fc.constantFrom(...world.tenantHeaderValues[vendor]), fc.tuple(fc.constantFrom(...world.tenantHeaderValues[vendor]), fc.constantFrom(...world.tenantHeaderValues[vendor])).map((pair) => [...pair])), { nil: undefined, freq: 2 });
  return fc
    .record({
      caller: fc.constantFrom(...CALLER_NAMES),
      document: documentArbitrary(schema, world.pools),
      nameChoice: fc.constantFrom('absent', 'absent', 'null', 'op', 'op', 'none', 'other-case'),
      nameIndex: fc.nat({ max: 2 }),
      persisted: fc.oneof({ weight: 5, arbitrary: fc.constant('none' as const) }, { weight: 3, arbitrary: fc.constantFrom(...PERSISTED) }),
      manifestIndex: fc.nat({ max: world.manifest.length - 1 }),
      transport: fc.oneof({ weight: 4, arbitrary: fc.constant('post' as const) }, { weight: 3, arbitrary: fc.constantFrom(...TRANSPORTS) }),
      contentType: fc.constantFrom(...ODD_CONTENT_TYPES),
      authorization: fc.oneof({ weight: 6, arbitrary: fc.constant('once' as const) }, { weight: 2, arbitrary: fc.constantFrom<AuthorizationShape>('twice-same', 'twice-other', 'lowercase-scheme') }),
      zuora: tenantHeader('zuora'),
      m3ter: tenantHeader('m3ter'),
      revio: tenantHeader('revio'),
    })
    .map(({ nameChoice, nameIndex, zuora, m3ter, revio, ...rest }) => {
      const names = rest.document.operations.map((operation) => operation.name).filter((name): name is string => name !== undefined);
      const pickedName = names[nameIndex % Math.max(names.length, 1)];
      const operationName: FuzzRequest['operationName'] =
        nameChoice === 'null' ? { kind: 'null' }
        : nameChoice === 'none' ? { kind: 'name', value: 'NoSuchOperation' }
        : nameChoice === 'op' && pickedName ? { kind: 'name', value: pickedName }
        : nameChoice === 'other-case' && pickedName ? { kind: 'name', value: pickedName.toLowerCase() }
        : { kind: 'absent' };
      const tenantHeaders: Record<string, string | string[]> = {};
      for (const [vendor, value] of Object.entries({ zuora, m3ter, revio })) if (value !== undefined) tenantHeaders[TENANT_HEADERS[vendor as keyof typeof TENANT_HEADERS]] = value;
      return { ...rest, operationName, tenantHeaders };
    });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The GraphQL request fields (query, operationName, variables, extensions, documentId) the request carries. */
export function graphqlParams(request: FuzzRequest, world: FuzzWorld): Record<string, unknown> {
  const manifest = world.manifest[request.manifestIndex]!;
  const params: Record<string, unknown> = {};
  const byId = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });
  switch (request.persisted) {
    case 'none':
      params.query = request.document.text;
      break;
    case 'manifest-id':
      params.extensions = byId(manifest.id);
      break;
    case 'documentId':
      params.documentId = manifest.id;
      break;
    case 'manifest-id-with-other-text':
      params.query = request.document.text;
      params.extensions = byId(manifest.id);
      break;
    case 'apq-of-text':
      params.query = request.document.text;
      params.extensions = byId(sha256(request.document.text));
      break;
    case 'unknown-hash':
      params.extensions = byId(sha256(`unknown ${request.document.text}`));
      break;
  }
  if (request.operationName.kind === 'null') params.operationName = null;
  if (request.operationName.kind === 'name') params.operationName = request.operationName.value;
  params.variables = manifest.type === 'mutation' && request.persisted !== 'none' ? { ...request.document.variables, id: world.pools.byName.id![0] } : request.document.variables;
  return params;
}

export function toRawRequest(request: FuzzRequest, world: FuzzWorld): RawRequest {
  const params = graphqlParams(request, world);
  const caller = world.callers[request.caller];
  const headers: Record<string, string | string[]> = { ...request.tenantHeaders };
  if (caller.token !== undefined) {
    const other = world.callers[request.caller === 'admin' ? 'reader' : 'admin'].token!;
    headers.authorization =
      request.authorization === 'twice-same' ? [`Bearer ${caller.token}`, `Bearer ${caller.token}`]
      : request.authorization === 'twice-other' ? [`Bearer ${caller.token}`, `Bearer ${other}`]
      : request.authorization === 'lowercase-scheme' ? `bearer ${caller.token}`
      : `Bearer ${caller.token}`;
  }
  const search = (fields: Record<string, unknown>) =>
    `/graphql?${new URLSearchParams(Object.entries(fields).flatMap(([key, value]) => (value === undefined || value === null ? [] : [[key, typeof value === 'string' ? value : expandDeep(JSON.stringify(value))]]))).toString()}`;
  // A trusted manifest operation, sent beside the generated one where a transport carries two.
  const listed = { extensions: { persistedQuery: { version: 1, sha256Hash: world.manifest[request.manifestIndex]!.id } } };
  switch (request.transport) {
    case 'post':
      return { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: expandDeep(JSON.stringify(params)) };
    case 'post-odd-type':
      return { method: 'POST', headers: { ...headers, ...(request.contentType ? { 'content-type': request.contentType } : {}) }, body: expandDeep(JSON.stringify(params)) };
    case 'get':
      return { method: 'GET', path: search(params), headers: { ...headers, 'apollo-require-preflight': 'true' } };
    case 'get-with-body':
      return { method: 'GET', path: search(params), headers: { ...headers, 'apollo-require-preflight': 'true', 'content-type': 'application/json' }, body: JSON.stringify(listed) };
    case 'post-with-url-query':
      return { method: 'POST', path: search(params), headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(listed) };
  }
}
