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

/** The seeded ids of one company that arguments are drawn from. */
interface Seeded {
  root: string;
  entities: string[];
  connections: string[];
  links: string[];
  customers: Array<{ revioCustomerId: number; m3terAccountId: string; salesforceAccountId: string }>;
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
  // Mostly the first company's ids (every key's default tenant), a few of the second's (outside
  // the narrow grant, and another tenant for every key until a header chooses it).
  const seededOf = (index: number): Seeded => {
    const company = companies[index]!;
    const zuora = fixtures.zuora.tenants[index]!;
    const org = fixtures.m3ter.orgs.find((candidate) => candidate.orgId === company.m3ter.orgId)!;
    const client = fixtures.revio.clients.find((candidate) => candidate.clientCode === company.revio.clientCode)!;
    return {
      root: company.zuora.rootEntityId,
      entities: zuora.entities.map((entity) => entity.id).slice(0, 4),
      connections: zuora.connections.slice(0, 4).flatMap((connection) => [connection.id, toGlobalId('Connection', connection.sourceEntityId, connection.id)]),
      links: [
        ...org.mappings.slice(0, 3).map((mapping) => toGlobalId('ExternalLink', 'M3TER', org.orgId, mapping.id)),
        ...client.keyLinks.slice(0, 3).map((link) => toGlobalId('ExternalLink', 'REVIO', client.clientCode, String(link.integration_key_link_id))),
      ],
      customers: company.customers.slice(0, 3),
    };
  };
  const [own, other] = [seededOf(0), seededOf(1)];
  const mostlyOwn = (pick: (seeded: Seeded) => string[]) => [...pick(own), ...pick(own), ...pick(other).slice(0, 1)];
  const pools: ValuePools = {
    byName: {
      id: [...mostlyOwn((seeded) => seeded.links), ...mostlyOwn((seeded) => seeded.entities).slice(0, 3), toGlobalId('Entity', own.root), 'x'],
      entityId: mostlyOwn((seeded) => seeded.entities),
      sourceEntityId: mostlyOwn((seeded) => [seeded.root]),
      targetEntityId: mostlyOwn((seeded) => seeded.entities),
      actingEntityId: mostlyOwn((seeded) => [seeded.root, ...seeded.entities.slice(0, 1)]),
      connectionId: mostlyOwn((seeded) => seeded.connections),
      internalId: mostlyOwn((seeded) => seeded.customers.flatMap((customer) => [String(customer.revioCustomerId), customer.m3terAccountId])),
      internalType: ['CUSTOMER', 'CUSTOMER', 'Account', 'ACCOUNT'],
      externalSystem: ['SALESFORCE', 'Salesforce', 'HubSpot'],
      externalTable: ['Account', 'Contact'],
      externalId: ['fuzz-ext-1', 'fuzz-ext-2', ...mostlyOwn((seeded) => seeded.customers.map((customer) => customer.salesforceAccountId))],
      system: ['Zuora', 'Salesforce', 'm3ter', 'Rev.io'],
      clientMutationId: ['fuzz-cm-1', 'fuzz-cm-2'],
    },
    ids: [...own.entities.slice(0, 2), ...own.links.slice(0, 2), other.links[0]!, '', 'not-an-id'],
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
