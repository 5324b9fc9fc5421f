/**
 * What a fuzz run runs against: the real gateway (`createGateway`, real keys, plugins and
 * limits, introspection off) over a fresh sandbox, a JWKS server for JWT callers, a trusted
 * documents manifest, and the seeded ids the generated documents draw their arguments from.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toGlobalId } from '../../src/lib/global-id.js';
import { startGateway, type TestGateway, type TestKey } from '../../test/helpers/gateway.js';
import { startJwksServer, type JwksServer } from '../../test/helpers/jwks-server.js';
import { everyTenant, firstCompany, FUZZ_KEYS, nearlyEmpty, type CallerName, type FuzzCaller, type Grant } from './fuzz-callers.js';

const ISSUER = 'https://idp.fuzz.test/';
const AUDIENCE = 'interlink';

/** A manifest operation: what a trusted-documents-only caller may run, by id. */
export interface ManifestOperation {
  id: string;
  body: string;
  type: 'query' | 'mutation';
  /** The response keys of its root selection. */
  rootKeys: string[];
}

/** Argument values from the seed, by argument or input-field name, and by type for the rest. */
export interface ValuePools {
  byName: Record<string, string[]>;
  ids: string[];
  strings: string[];
}

export interface FuzzWorld {
  gw: TestGateway;
  callers: Record<CallerName, FuzzCaller>;
  /** A read-only key that only the liveness probe uses. */
  probeKey: string;
  manifest: ManifestOperation[];
  pools: ValuePools;
  /** Tenant header values: granted, foreign and junk. */
  tenantHeaderValues: { zuora: string[]; m3ter: string[]; revio: string[] };
  /** Text that must never appear in an answer: the vendors' base URLs. */
  secrets: string[];
  close(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const MANIFEST_SOURCES: Array<Omit<ManifestOperation, 'id'>> = [
  { body: 'query EntityCount { entities { totalCount } }', type: 'query', rootKeys: ['entities'] },
  { body: 'query Systems { integrationSystems { __typename } }', type: 'query', rootKeys: ['integrationSystems'] },
  { body: 'mutation DropLink($id: ID!) { deleteExternalLink(input: { id: $id }) { deletedId } }', type: 'mutation', rootKeys: ['deleteExternalLink'] },
];

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'interlink-fuzz-'));
  const manifest = MANIFEST_SOURCES.map((operation) => ({ ...operation, id: sha256(operation.body) }));
  const manifestFile = join(dir, 'persisted-query-manifest.json');
  writeFileSync(
    manifestFile,
    JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: manifest.map(({ id, body, type }) => ({ id, name: /\w+ (\w+)/.exec(body)![1], type, body })) }),
  );
  const jwks: JwksServer = await startJwksServer();
  const signing = await jwks.newKey('fuzz-1');
  let grants: Record<'all' | 'narrow' | 'empty', Grant> | undefined;
  const gw = await startGateway({
    env: {
      INTERLINK_TRUSTED_DOCUMENTS_FILE: manifestFile,
      INTERLINK_JWT_JWKS_URL: jwks.url,
      INTERLINK_JWT_ISSUER: ISSUER,
      INTERLINK_JWT_AUDIENCE: AUDIENCE,
      INTERLINK_LOG_LEVEL: 'warn',
    },
    keys: (sandbox) => {
      grants = { all: everyTenant(sandbox), narrow: firstCompany(sandbox), empty: nearlyEmpty(sandbox) };
      const keys: Record<string, TestKey> = {
        admin: { key: FUZZ_KEYS.admin, scopes: ['read', 'write'], tenants: grants.all },
        reader: { key: FUZZ_KEYS.reader, scopes: ['read'], tenants: grants.all },
        narrow: { key: FUZZ_KEYS.narrow, scopes: ['read', 'write'], tenants: grants.narrow },
        'empty-grant': { key: FUZZ_KEYS.emptyGrant, scopes: ['read', 'write'], tenants: grants.empty },
        trusted: { key: FUZZ_KEYS.trusted, scopes: ['read'], tenants: grants.all, trustedDocumentsOnly: true },
        probe: { key: FUZZ_KEYS.probe, scopes: ['read'], tenants: grants.all },
      };
      return keys;
    },
  });
  const { all, narrow, empty } = grants!;
  const jwt = async (sub: string, scope: string, grant: Grant) =>
    jwks.sign(signing, { iss: ISSUER, aud: AUDIENCE, sub, scope, interlink_tenants: grant }, { expiresIn: '6h' });
  const caller = (name: CallerName, token: string | undefined, scopes: FuzzCaller['scopes'], grant: Grant, trustedDocumentsOnly = false): FuzzCaller => ({ name, token, scopes, grant, trustedDocumentsOnly });
  const callers: Record<CallerName, FuzzCaller> = {
    admin: caller('admin', FUZZ_KEYS.admin, ['read', 'write'], all),
    reader: caller('reader', FUZZ_KEYS.reader, ['read'], all),
    narrow: caller('narrow', FUZZ_KEYS.narrow, ['read', 'write'], narrow),
    emptyGrant: caller('emptyGrant', FUZZ_KEYS.emptyGrant, ['read', 'write'], empty),
    trusted: caller('trusted', FUZZ_KEYS.trusted, ['read'], all, true),
    jwtWriter: caller('jwtWriter', await jwt('fuzz-writer', 'read write', narrow), ['read', 'write'], narrow),
    jwtReader: caller('jwtReader', await jwt('fuzz-reader', 'read', all), ['read'], all),
    anonymous: caller('anonymous', undefined, [], { zuora: [], m3ter: [], revio: [] }),
  };
  const { fixtures } = gw.sandbox;
  const companies = fixtures.facts.companies;
  const entities = fixtures.zuora.tenants.flatMap((tenant) => tenant.entities.map((entity) => entity.id));
  const connections = fixtures.zuora.tenants.flatMap((tenant) => tenant.connections);
  const m3terLinks = fixtures.m3ter.orgs.flatMap((org) => org.mappings.slice(0, 2).map((mapping) => toGlobalId('ExternalLink', 'M3TER', org.orgId, mapping.id)));
  const revioLinks = fixtures.revio.clients.flatMap((client) => client.keyLinks.slice(0, 2).map((link) => toGlobalId('ExternalLink', 'REVIO', client.clientCode, String(link.integration_key_link_id))));
  const customers = companies.flatMap((company) => company.customers.slice(0, 2));
  const pools: ValuePools = {
    byName: {
      id: [...entities.slice(0, 4), ...m3terLinks, ...revioLinks, toGlobalId('Entity', entities[0]!), 'x'],
      entityId: entities.slice(0, 6),
      sourceEntityId: entities.slice(0, 4),
      targetEntityId: entities.slice(0, 6),
      actingEntityId: entities.slice(0, 4),
      connectionId: [...connections.slice(0, 4).map((c) => c.id), toGlobalId('Connection', connections[0]!.sourceEntityId, connections[0]!.id)],
      internalId: customers.flatMap((customer) => [String(customer.revioCustomerId), customer.m3terAccountId]),
      internalType: ['CUSTOMER', 'Account', 'ACCOUNT'],
      externalSystem: ['SALESFORCE', 'Salesforce', 'HubSpot'],
      externalTable: ['Account', 'Contact'],
      externalId: ['fuzz-ext-1', 'fuzz-ext-2', ...customers.map((customer) => customer.salesforceAccountId)],
      system: ['Zuora', 'Salesforce', 'm3ter', 'Rev.io'],
      clientMutationId: ['fuzz-cm-1', 'fuzz-cm-2'],
    },
    ids: [...entities.slice(0, 3), ...m3terLinks.slice(0, 2), ...revioLinks.slice(0, 2), '', 'not-an-id'],
    strings: ['fuzz', '', 'Zuora', 'x'.repeat(300)],
  };
  const tenantHeaderValues = {
    zuora: [narrow.zuora[0]!, companies[1]!.zuora.rootEntityId, 'junk'],
    m3ter: [narrow.m3ter[0]!, companies[1]!.m3ter.orgId, 'junk'],
    revio: [narrow.revio[0]!, companies[1]!.revio.clientCode, 'junk'],
  };
  return {
    gw,
    callers,
    probeKey: FUZZ_KEYS.probe,
    manifest,
    pools,
    tenantHeaderValues,
    secrets: Object.values(gw.sandbox.urls).map((url) => new URL(url).host),
    async close() {
      await gw.close();
      await jwks.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
