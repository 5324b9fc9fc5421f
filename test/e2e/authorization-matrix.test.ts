/**
 * The authorization matrix, generated from the schema: every field (root or nested) with an
 * argument that names an id, a tenant, a cursor, a filter or a provider must be listed in
 * ARGUMENT_CHECKS, and each listed argument is sent with values outside an API key's grant.
 * Each case asserts the answer (FORBIDDEN, or NOT_FOUND where "not yours" and "no such" must look
 * the same) and reads the sandbox ledger: no call for a refused field, no write for a refused
 * mutation, and never a call for a tenant outside the key's grant.
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGUMENT_CHECKS, type ArgumentCheckKind } from '../../src/authorization/argument-checks.js';
import { toGlobalId } from '../../src/lib/global-id.js';
import { SCHEMA_FILES } from '../../src/server.js';
import { withGateway } from '../helpers/gateway.js';

const ACME = 'ilk_test_acme_root_0123456789abcdef';
const ACME_NO_M3TER = 'ilk_test_acme_no_m3ter_0123456789ab';
const ADMIN = 'ilk_test_admin_0123456789abcdef0123';

function loadSchema(): GraphQLSchema {
  return buildSchema(SCHEMA_FILES.map((file) => readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8')).join('\n'));
}

/** Whether an argument (or input field) names something tenant-scoped: ids, cursors, filters, providers. */
function namesTenantScoped(name: string, type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  if (name === 'clientMutationId') return false;
  return name === 'id' || name.endsWith('Id') || name === 'after' || named.name === 'ID' || named.name === 'ExternalLinkFilter' || named.name === 'Provider';
}

/** `arg` or `input.field` paths of a field's tenant-scoped arguments, through input objects (a filter counts whole). */
function tenantScopedPaths(field: GraphQLField<unknown, unknown>): string[] {
  const paths: string[] = [];
  const walk = (name: string, type: GraphQLInputType, prefix: string): void => {
    const named = getNamedType(type);
    if (namesTenantScoped(name, type)) paths.push(prefix + name);
    else if (isInputObjectType(named)) for (const inner of Object.values(named.getFields())) walk(inner.name, inner.type, `${prefix}${name}.`);
  };
  for (const arg of field.args) walk(arg.name, arg.type, '');
  return paths;
}

/** Every field of every object type with tenant-scoped arguments, as `Type.field` → paths. */
function schemaCoordinates(schema: GraphQLSchema): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const paths = tenantScopedPaths(field);
      if (paths.length > 0) found.set(`${type.name}.${field.name}`, paths);
    }
  }
  return found;
}

interface Case {
  label: string;
  value: unknown;
  /** The key that sends it; default ACME. */
  key?: string;
  /** FORBIDDEN, NOT_FOUND, or `within-grant`: answered, but only from the key's own tenants. */
  expect: 'FORBIDDEN' | 'NOT_FOUND' | 'within-grant';
  /** NOT_FOUND cases may read (as a granted entity) to find out; they never write. */
  readsAllowed?: boolean;
}

describe('authorization matrix (generated from the schema)', () => {
  const schema = loadSchema();
  const coordinates = schemaCoordinates(schema);
  const gw = withGateway({
      keys: (sandbox) => {
        const company = sandbox.fixtures.facts.companies[0]!;
        const acme = { zuora: [company.zuora.rootEntityId], m3ter: [company.m3ter.orgId], revio: [company.revio.clientCode] };
        return {
          admin: { key: ADMIN, scopes: ['read', 'write'] },
          acme: { key: ACME, scopes: ['read', 'write'], tenants: acme },
          'acme-no-m3ter': { key: ACME_NO_M3TER, scopes: ['read', 'write'], tenants: { ...acme, m3ter: [] } },
        };
      },
    });
  let grant: { zuora: string[]; m3ter: string[]; revio: string[] };
  let cases: Record<ArgumentCheckKind, Case[]>;
  /** Valid values for required arguments that are not the one under test. */
  let valid: Record<string, Record<string, unknown>>;
  let sent = 0;

  beforeAll(async () => {
    const { fixtures } = gw.sandbox;
    const [acme, globex] = fixtures.zuora.tenants as [(typeof fixtures.zuora.tenants)[0], (typeof fixtures.zuora.tenants)[0]];
    const [acmeCo, globexCo] = fixtures.facts.companies as [(typeof fixtures.facts.companies)[0], (typeof fixtures.facts.companies)[0]];
    const root = acmeCo.zuora.rootEntityId;
    // An entity of Acme's own Zuora tenant that the Acme key was not granted.
    const sibling = acme.entities.find((e) => e.id !== root)!.id;
    const foreign = globexCo.zuora.rootEntityId;
    grant = { zuora: [root], m3ter: [acmeCo.m3ter.orgId], revio: [acmeCo.revio.clientCode] };

    const hyphenated = (id: string) => `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`.toUpperCase();
    const entityForms = (label: string, id: string): Case[] => [
      { label: `${label} (32-hex)`, value: id, expect: 'FORBIDDEN' },
      { label: `${label} (global id)`, value: toGlobalId('Entity', id), expect: 'FORBIDDEN' },
      { label: `${label} (hyphenated, upper case)`, value: hyphenated(id), expect: 'FORBIDDEN' },
    ];
    const globexConnection = globex.connections[0]!;
    const acmeNotRoots = acme.connections.find((c) => c.sourceEntityId !== root && c.targetEntityId !== root)!;
    const globexMapping = fixtures.m3ter.orgs.find((o) => o.orgId === globexCo.m3ter.orgId)!.mappings[0]!;
    const globexKeyLink = fixtures.revio.clients.find((c) => c.clientCode === globexCo.revio.clientCode)!.keyLinks[0]!;
    const acmeMapping = fixtures.m3ter.orgs.find((o) => o.orgId === acmeCo.m3ter.orgId)!.mappings[0]!;
    const acmeKeyLink = fixtures.revio.clients.find((c) => c.clientCode === acmeCo.revio.clientCode)!.keyLinks[0]!;
    const foreignM3terLink = toGlobalId('ExternalLink', 'M3TER', globexCo.m3ter.orgId, globexMapping.id);
    const foreignRevioLink = toGlobalId('ExternalLink', 'REVIO', globexCo.revio.clientCode, String(globexKeyLink.integration_key_link_id));
    const acmeM3terLink = toGlobalId('ExternalLink', 'M3TER', acmeCo.m3ter.orgId, acmeMapping.id);

    // Cursors of lists the Acme key may not page, read by the admin key.
    const asGlobex = { 'interlink-zuora-entity': foreign, 'interlink-m3ter-org': globexCo.m3ter.orgId, 'interlink-revio-client': globexCo.revio.clientCode };
    const cursor = async (query: string, headers: Record<string, string>, pick: (data: any) => string) => {
      const response = await gw.post(query, { key: ADMIN, headers });
      expect(response.body.errors).toBeUndefined();
      return pick(response.body.data);
    };
    const foreignEntitiesCursor = await cursor('{ entities(first: 1) { pageInfo { endCursor } } }', asGlobex, (d) => d.entities.pageInfo.endCursor);
    const foreignConnectionsCursor = await cursor(`{ connections(entityId: "${foreign}", first: 1) { pageInfo { endCursor } } }`, asGlobex, (d) => d.connections.pageInfo.endCursor);
    const siblingConnectionsCursor = await cursor(`{ connections(entityId: "${sibling}", first: 1) { pageInfo { endCursor } } }`, {}, (d) => d.connections.pageInfo.endCursor);
    const foreignEntityConnectionsCursor = await cursor(`{ entity(id: "${foreign}") { connections(first: 1) { pageInfo { endCursor } } } }`, asGlobex, (d) => d.entity.connections.pageInfo.endCursor);
    const foreignLinksCursor = await cursor('{ externalLinks(first: 1) { pageInfo { endCursor } } }', asGlobex, (d) => d.externalLinks.pageInfo.endCursor);

    cases = {
      actingEntity: [...entityForms('an entity of the same Zuora tenant outside the grant', sibling), ...entityForms("another company's entity", foreign)],
      actingParentEntity: [{ label: 'an entity of the same Zuora tenant outside the grant', value: sibling, expect: 'FORBIDDEN' }],
      tenantEntity: entityForms("another company's entity", foreign),
      connectionTarget: entityForms("another company's entity", foreign),
      actingConnection: [
        { label: "another company's connection (global id)", value: toGlobalId('Connection', globexConnection.sourceEntityId, globexConnection.id), expect: 'FORBIDDEN' },
        { label: "another company's connection (32-hex)", value: globexConnection.id, expect: 'NOT_FOUND', readsAllowed: true },
        { label: 'a connection of the tenant between two other entities (global id)', value: toGlobalId('Connection', acmeNotRoots.sourceEntityId, acmeNotRoots.id), expect: 'NOT_FOUND', readsAllowed: true },
      ],
      nodeId: [
        { label: "another company's entity", value: toGlobalId('Entity', foreign), expect: 'FORBIDDEN' },
        { label: "another company's connection", value: toGlobalId('Connection', globexConnection.sourceEntityId, globexConnection.id), expect: 'FORBIDDEN' },
        { label: "another org's m3ter link", value: foreignM3terLink, expect: 'FORBIDDEN' },
        { label: "another client's Rev.io link", value: foreignRevioLink, expect: 'FORBIDDEN' },
        { label: 'an m3ter link to a key without an m3ter grant', value: acmeM3terLink, key: ACME_NO_M3TER, expect: 'FORBIDDEN' },
      ],
      linkId: [
        { label: "another org's m3ter link", value: foreignM3terLink, expect: 'FORBIDDEN' },
        { label: "another client's Rev.io link", value: foreignRevioLink, expect: 'FORBIDDEN' },
        { label: 'its own org\'s m3ter link, to a key without an m3ter grant', value: acmeM3terLink, key: ACME_NO_M3TER, expect: 'FORBIDDEN' },
      ],
      linkProvider: [{ label: 'M3TER, to a key without an m3ter grant', value: 'M3TER', key: ACME_NO_M3TER, expect: 'FORBIDDEN' }],
      linkFilter: [{ label: 'provider M3TER, to a key without an m3ter grant', value: { provider: 'M3TER' }, key: ACME_NO_M3TER, expect: 'FORBIDDEN' }],
      entityCursor: [{ label: "a cursor of another company's entity list", value: foreignEntitiesCursor, expect: 'FORBIDDEN' }],
      connectionCursor: [
        { label: "a cursor of another company's entity's connections (root list)", value: foreignConnectionsCursor, expect: 'FORBIDDEN' },
        { label: "a cursor of another company's entity's connections (Entity.connections)", value: foreignEntityConnectionsCursor, expect: 'FORBIDDEN' },
        { label: 'a cursor of a non-granted entity of the same tenant', value: siblingConnectionsCursor, expect: 'FORBIDDEN' },
      ],
      linkCursor: [{ label: "a cursor of another org's and client's link list", value: foreignLinksCursor, expect: 'FORBIDDEN' }],
      ownTenantValue: [
        { label: "another company's Zuora entity id", value: foreign, expect: 'within-grant' },
        { label: "another company's customer's Salesforce id", value: globexCo.customers[0]!.salesforceAccountId, expect: 'within-grant' },
      ],
    };
    valid = {
      'Query.node': { id: toGlobalId('Entity', root) },
      'Query.entity': { id: root },
      'Query.connections': { entityId: root },
      'Query.externalLink': { id: acmeM3terLink },
      'Query.resolveExternalId': { system: 'Zuora', id: root },
      'Query.identityGraph': { system: 'Zuora', id: root },
      'Entity.connections': { $parent: root },
      'Entity.externalLinks': { $parent: root },
      'Mutation.initiateConnection': { input: { sourceEntityId: root, targetEntityId: sibling } },
      'Mutation.acceptConnection': { input: { connectionId: acme.connections[0]!.id, actingEntityId: root } },
      'Mutation.denyConnection': { input: { connectionId: acme.connections[0]!.id, actingEntityId: root } },
      'Mutation.disconnectConnection': { input: { connectionId: acme.connections[0]!.id, actingEntityId: root } },
      'Mutation.createExternalLink': {
        input: { provider: 'REVIO', internalType: 'CUSTOMER', internalId: String(acmeCo.customers[0]!.revioCustomerId), externalSystem: 'SALESFORCE', externalId: 'matrix-1' },
      },
      'Mutation.updateExternalLink': { input: { id: toGlobalId('ExternalLink', 'REVIO', acmeCo.revio.clientCode, String(acmeKeyLink.integration_key_link_id)) } },
      'Mutation.deleteExternalLink': { input: { id: foreignRevioLink } },
      'Mutation.linkEverywhere': {
        input: {
          externalSystem: 'Salesforce',
          externalId: 'matrix-2',
          m3ter: { internalType: 'Account', internalId: acmeCo.customers[0]!.m3terAccountId, externalTable: 'Account' },
          revio: { internalType: 'CUSTOMER', internalId: String(acmeCo.customers[0]!.revioCustomerId) },
        },
      },
    };
  });

  afterAll(async () => {
    const pairs = [...coordinates.values()].reduce((n, paths) => n + paths.length, 0);
    console.info(`authorization matrix: ${coordinates.size} fields × ${pairs} arguments, ${sent} out-of-grant cases sent`);
    await gw?.close();
  });

  it('lists a check for every tenant-scoped argument of every field in the schema', () => {
    const missing: string[] = [];
    for (const [coordinate, paths] of coordinates) {
      for (const path of paths) if (ARGUMENT_CHECKS[coordinate]?.[path] === undefined) missing.push(`${coordinate}(${path})`);
    }
    expect(missing, 'add these to src/authorization/argument-checks.ts').toEqual([]);
    // And nothing is checked that the schema does not have.
    for (const [coordinate, paths] of Object.entries(ARGUMENT_CHECKS)) {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const type = schema.getType(typeName);
      expect(isObjectType(type) && type.getFields()[fieldName] !== undefined, coordinate).toBe(true);
      for (const path of Object.keys(paths)) if (path !== '$parent') expect(argumentType(schema, coordinate, path), `${coordinate}(${path})`).toBeDefined();
    }
  });

  const entries = Object.entries(ARGUMENT_CHECKS).flatMap(([coordinate, paths]) => Object.entries(paths).map(([path, kind]) => ({ coordinate, path, kind })));
  it.each(entries)('$coordinate($path) refuses values outside the grant ($kind)', async ({ coordinate, path, kind }) => {
    expect(cases[kind].length, `cases for ${kind}`).toBeGreaterThan(0);
    for (const testCase of cases[kind]) {
      const { document, variables, fieldPath } = operationFor(schema, coordinate, path, testCase.value, valid[coordinate] ?? {});
      const mark = gw.sandbox.ledger.mark;
      const response = await gw.post(document, { key: testCase.key ?? ACME, variables });
      sent += 1;
      const entries = gw.sandbox.ledger.list({ sinceSeq: mark }).filter((entry) => !/oauth\/token/i.test(entry.path));
      const what = `${coordinate}(${path}) with ${testCase.label}: ${JSON.stringify(response.body)}`;
      expect(response.status, what).toBe(200);
      // Never a call for a tenant outside the key's grant, whatever the answer.
      const keyGrant = testCase.key === ACME_NO_M3TER ? { ...grant, m3ter: [] } : grant;
      for (const entry of entries) expect(withinGrant(entry, keyGrant), `${what}: ${entry.method} ${entry.path} as ${entry.tenant}`).toBe(true);
      const error = (response.body.errors ?? []).find((e: { path?: string[] }) => e.path?.join('.') === fieldPath);
      if (testCase.expect === 'within-grant') {
        expect(JSON.stringify(response.body.data ?? {}), what).not.toMatch(/globex|initech/i);
        continue;
      }
      expect(error?.extensions?.code, what).toBe(testCase.expect);
      if (testCase.readsAllowed) expect(entries.filter((entry) => entry.method !== 'GET'), what).toEqual([]);
      // A nested field is reached through entity(id:), which reads the entity list first.
      else if (coordinate.startsWith('Entity.')) expect(entries.filter((entry) => !/^\/v1\/entities$/.test(entry.path)), what).toEqual([]);
      else expect(entries, what).toEqual([]);
    }
  });
});

/** The ledger entry's tenant is one the key was granted (Zuora: the acting entity). */
function withinGrant(entry: { vendor: string; tenant: string | undefined }, grant: { zuora: string[]; m3ter: string[]; revio: string[] }): boolean {
  const tenant = (entry.tenant ?? '').replaceAll('-', '').toLowerCase();
  const list = grant[entry.vendor as keyof typeof grant].map((t) => t.replaceAll('-', '').toLowerCase());
  return list.includes(tenant);
}

function argumentType(schema: GraphQLSchema, coordinate: string, path: string): GraphQLInputType | undefined {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const field = (schema.getType(typeName) as ReturnType<typeof schema.getQueryType> & object).getFields()[fieldName]!;
  const [first, ...rest] = path.split('.');
  let type: GraphQLInputType | undefined = field.args.find((a: GraphQLArgument) => a.name === first)?.type;
  for (const name of rest) {
    const named = type === undefined ? undefined : getNamedType(type);
    type = isInputObjectType(named) ? named.getFields()[name]?.type : undefined;
  }
  return type;
}

/**
 * One operation that asks `coordinate` with `value` at `path` and valid values for every other
 * required argument; a nested field is reached through `entity(id:)` with `$parent`.
 */
function operationFor(schema: GraphQLSchema, coordinate: string, path: string, value: unknown, validArgs: Record<string, unknown>) {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const field = type.getFields()[fieldName]!;
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (validArgs[arg.name] !== undefined) args[arg.name] = structuredClone(validArgs[arg.name]);
    else if (isNonNullType(arg.type)) throw new Error(`add a valid value for ${coordinate}(${arg.name}) to the matrix`);
  }
  let parent = validArgs.$parent;
  if (path === '$parent') parent = value;
  else {
    const [first, ...rest] = path.split('.') as [string, ...string[]];
    if (rest.length === 0) args[first] = value;
    else {
      let target = (args[first] ??= {}) as Record<string, unknown>;
      for (const name of rest.slice(0, -1)) target = (target[name] ??= {}) as Record<string, unknown>;
      target[rest.at(-1)!] = value;
    }
  }
  const definitions = field.args.filter((arg) => args[arg.name] !== undefined).map((arg) => `$${arg.name}: ${arg.type.toString()}`);
  const call = `${fieldName}${definitions.length ? `(${field.args.filter((a) => args[a.name] !== undefined).map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''}${selectionFor(field.type)}`;
  const variables: Record<string, unknown> = { ...args };
  if (typeName === 'Query' || typeName === 'Mutation') {
    const kind = typeName === 'Query' ? 'query' : 'mutation';
    return { document: `${kind}${definitions.length ? `(${definitions.join(', ')})` : ''} { ${call} }`, variables, fieldPath: fieldName };
  }
  if (typeName !== 'Entity') throw new Error(`add a way to reach ${typeName} to the matrix`);
  if (typeof parent !== 'string') throw new Error(`add a valid $parent for ${coordinate} to the matrix`);
  variables.parentId = parent;
  return { document: `query($parentId: ID!${definitions.map((d) => `, ${d}`).join('')}) { entity(id: $parentId) { ${call} } }`, variables, fieldPath: `entity.${fieldName}` };
}

function selectionFor(type: GraphQLField<unknown, unknown>['type']): string {
  let inner = type;
  while (isNonNullType(inner) || isListType(inner)) inner = inner.ofType;
  return isScalarType(inner) || isEnumType(inner) ? '' : ' { __typename }';
}
