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
  /** The dimensions this case bends (reported with a failure). */
  hostile: HostileDimension[];
  caller: CallerName;
  document: GeneratedDocument;
  /** `absent`: no operationName; `null`: JSON null; else the string sent. */
  operationName: { kind: 'absent' } | { kind: 'null' } | { kind: 'number' } | { kind: 'name'; value: string };
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

/**
 * The ways a request can be hostile. Each case bends none, one or two of them and keeps the rest
 * plain, so most cases still run and reach the resolvers and vendors (a case bending all of them
 * at once is refused at the door and tests little).
 */
export const HOSTILE_DIMENSIONS = ['caller', 'document', 'operationName', 'persisted', 'transport', 'authorization', 'tenantHeaders'] as const;
export type HostileDimension = (typeof HOSTILE_DIMENSIONS)[number];

const PLAIN_CALLERS = CALLER_NAMES.filter((name) => name !== 'anonymous' && name !== 'trusted');

export function requestArbitrary(world: FuzzWorld, schema: GraphQLSchema): fc.Arbitrary<FuzzRequest> {
  const tenantHeader = (vendor: keyof typeof TENANT_HEADERS) =>
    fc.option(fc.oneof(fc.constantFrom(...world.tenantHeaderValues[vendor]), fc.tuple(fc.constantFrom(...world.tenantHeaderValues[vendor]), fc.constantFrom(...world.tenantHeaderValues[vendor])).map((pair) => [...pair])), { nil: undefined, freq: 2 });
  const bent = fc.oneof({ weight: 1, arbitrary: fc.constant([] as HostileDimension[]) }, { weight: 3, arbitrary: fc.subarray([...HOSTILE_DIMENSIONS], { minLength: 1, maxLength: 2 }) });
  return bent.chain((hostile) => {
    const is = (dimension: HostileDimension) => hostile.includes(dimension);
    return fc
      .record({
        hostile: fc.constant(hostile),
        // The trusted caller's plain request is by manifest id; as a bent caller it sends whatever the rest says.
        caller: is('caller') ? fc.constantFrom<CallerName>('anonymous', 'trusted') : fc.constantFrom(...PLAIN_CALLERS, 'trusted' as const),
        document: documentArbitrary(schema, world.pools, is('document')),
        nameChoice: is('operationName') ? fc.constantFrom('null', 'none', 'other-case', 'number') : fc.constantFrom('absent', 'op'),
        nameIndex: fc.nat({ max: 2 }),
        persisted: is('persisted') ? fc.constantFrom<Persisted>('manifest-id-with-other-text', 'apq-of-text', 'unknown-hash', 'manifest-id', 'documentId') : fc.constant<Persisted>('none'),
        manifestIndex: fc.nat({ max: world.manifest.length - 1 }),
        transport: is('transport') ? fc.constantFrom<Transport>('get-with-body', 'post-with-url-query', 'post-odd-type') : fc.constantFrom<Transport>('post', 'post', 'post', 'get'),
        contentType: fc.constantFrom(...ODD_CONTENT_TYPES),
        authorization: is('authorization') ? fc.constantFrom<AuthorizationShape>('twice-same', 'twice-other', 'lowercase-scheme') : fc.constant<AuthorizationShape>('once'),
        zuora: is('tenantHeaders') ? tenantHeader('zuora') : fc.constant(undefined),
        m3ter: is('tenantHeaders') ? tenantHeader('m3ter') : fc.constant(undefined),
        revio: is('tenantHeaders') ? tenantHeader('revio') : fc.constant(undefined),
      })
      .map(({ nameChoice, nameIndex, zuora, m3ter, revio, ...rest }) => {
        // A plain trusted caller names a manifest operation by id.
        const persisted = rest.caller === 'trusted' && !is('caller') && !is('persisted') ? (nameIndex % 2 === 0 ? 'manifest-id' : 'documentId') : rest.persisted;
        const names = rest.document.operations.map((operation) => operation.name).filter((name): name is string => name !== undefined);
        const pickedName = names[nameIndex % Math.max(names.length, 1)];
        const operationName: FuzzRequest['operationName'] =
          nameChoice === 'null' ? { kind: 'null' }
          : nameChoice === 'number' ? { kind: 'number' }
          : nameChoice === 'none' ? { kind: 'name', value: 'NoSuchOperation' }
          : nameChoice === 'op' && pickedName && persisted === 'none' ? { kind: 'name', value: pickedName }
          : nameChoice === 'other-case' && pickedName ? { kind: 'name', value: pickedName.toLowerCase() }
          : { kind: 'absent' };
        const tenantHeaders: Record<string, string | string[]> = {};
        for (const [vendor, value] of Object.entries({ zuora, m3ter, revio })) if (value !== undefined) tenantHeaders[TENANT_HEADERS[vendor as keyof typeof TENANT_HEADERS]] = value;
        return { ...rest, persisted, operationName, tenantHeaders };
      });
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
  if (request.operationName.kind === 'number') params.operationName = 7;
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
