import type { SandboxFixtures } from './fixtures/index.js';

/** Credentials of the first seeded company at each vendor: what `npm run sandbox` prints. */
export interface ExampleCredentials {
  zuora: { clientId: string; clientSecret: string; entityIds: string[] };
  m3ter: { orgId: string; accessKeyId: string; apiSecret: string };
  revio: { clientCode: string; login: string; password: string; subscriptionKey: string };
}

export function exampleCredentials(fixtures: SandboxFixtures): ExampleCredentials {
  const tenant = fixtures.zuora.tenants[0];
  const org = fixtures.m3ter.orgs[0];
  const client = fixtures.revio.clients[0];
  const admin = tenant?.clients[0];
  const orgKey = org?.credentials[0];
  const user = client?.users.find((u) => u.role === 'read-write');
  if (!tenant || !admin || !org || !orgKey || !client || !user) throw new Error('fixtures must hold at least one company');
  return {
    zuora: { clientId: admin.clientId, clientSecret: admin.clientSecret, entityIds: admin.entities.map((e) => e.entityId) },
    m3ter: { orgId: org.orgId, accessKeyId: orgKey.accessKeyId, apiSecret: orgKey.apiSecret },
    revio: { clientCode: client.clientCode, login: user.login, password: user.password, subscriptionKey: client.subscriptionKey },
  };
}

/** Every seeded tenant's credentials, in a neutral shape a gateway can be configured from. */
export interface SandboxTenants {
  zuora: { name: string; clientId: string; clientSecret: string; entityIds: string[] }[];
  m3ter: { name: string; orgId: string; accessKeyId: string; apiSecret: string }[];
  revio: { name: string; clientCode: string; login: string; password: string; subscriptionKey: string }[];
}

/** For each company: the Zuora global-admin client, the m3ter service user, the read-write Rev.io user. */
export function sandboxTenants(fixtures: SandboxFixtures): SandboxTenants {
  return {
    zuora: fixtures.zuora.tenants.map((tenant) => {
      const admin = tenant.clients[0]!;
      return { name: admin.label, clientId: admin.clientId, clientSecret: admin.clientSecret, entityIds: admin.entities.map((e) => e.entityId) };
    }),
    m3ter: fixtures.m3ter.orgs.map((org) => ({ name: org.label, orgId: org.orgId, ...org.credentials[0]! })),
    revio: fixtures.revio.clients.map((client) => {
      const user = client.users.find((u) => u.role === 'read-write')!;
      return { name: client.label, clientCode: client.clientCode, login: user.login, password: user.password, subscriptionKey: client.subscriptionKey };
    }),
  };
}
