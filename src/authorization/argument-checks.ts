/**
 * Every argument that names a tenant-scoped object, field by field, with the check it gets
 * before the field's resolver runs (so before any vendor call it would make). Paths reach into
 * input objects (`input.sourceEntityId`); `$parent` checks the object a field is asked on.
 *
 * test/e2e/authorization-matrix.test.ts walks the schema: a field whose arguments include an id,
 * a tenant, a cursor, a filter or a provider and that is missing here fails it, and each kind
 * below is exercised with values outside a key's grant.
 */
export type ArgumentCheckKind =
  /** A Zuora entity the caller acts as (any id form): in the key's grant. */
  | 'actingEntity'
  /** `Entity.connections`: the entity asked on is one the caller may act as. */
  | 'actingParentEntity'
  /** A Zuora entity the caller only looks at: of its own Zuora tenant. */
  | 'tenantEntity'
  /** The target of a new connection: of the caller's Zuora tenant, checked in its entity list. */
  | 'connectionTarget'
  /** A connection to change: its id names no foreign entity, and it is one of the acting entity's. */
  | 'actingConnection'
  /** Any global id (`node`): checked as the kind of object it names. */
  | 'nodeId'
  /** An ExternalLink global id: of the provider tenant the request acts for. */
  | 'linkId'
  /** A link provider: one the key holds a grant at. */
  | 'linkProvider'
  /** An ExternalLinkFilter: its provider as `linkProvider`; the rest narrows the granted lists. */
  | 'linkFilter'
  /** Cursors, bound to the tenant (or entity) whose list they page. */
  | 'entityCursor'
  | 'connectionCursor'
  | 'linkCursor'
  /**
   * A value matched or stored inside the request's own tenants (`resolveExternalId`'s record, a
   * link's internal and external ids): it names no tenant, so nothing to refuse; the search or
   * the write goes only to the org and client the key holds.
   */
  | 'ownTenantValue';

export const ARGUMENT_CHECKS: Readonly<Record<string, Readonly<Record<string, ArgumentCheckKind>>>> = {
  'Query.node': { id: 'nodeId' },
  'Query.entity': { id: 'tenantEntity' },
  'Query.entities': { after: 'entityCursor' },
  'Query.connections': { entityId: 'actingEntity', after: 'connectionCursor' },
  'Query.externalLinks': { filter: 'linkFilter', after: 'linkCursor' },
  'Query.externalLink': { id: 'linkId' },
  'Query.resolveExternalId': { system: 'ownTenantValue', id: 'ownTenantValue' },
  'Query.identityGraph': { system: 'ownTenantValue', id: 'ownTenantValue' },
  'Entity.connections': { $parent: 'actingParentEntity', after: 'connectionCursor' },
  'Entity.externalLinks': { provider: 'linkProvider' },
  'Mutation.initiateConnection': { 'input.sourceEntityId': 'actingEntity', 'input.targetEntityId': 'connectionTarget' },
  // The connection first: its check reads the acting entity's list, after checking that entity too.
  'Mutation.acceptConnection': { 'input.connectionId': 'actingConnection', 'input.actingEntityId': 'actingEntity' },
  'Mutation.denyConnection': { 'input.connectionId': 'actingConnection', 'input.actingEntityId': 'actingEntity' },
  'Mutation.disconnectConnection': { 'input.connectionId': 'actingConnection', 'input.actingEntityId': 'actingEntity' },
  'Mutation.createExternalLink': {
    'input.provider': 'linkProvider',
    'input.internalId': 'ownTenantValue',
    'input.externalId': 'ownTenantValue',
    'input.integrationConfigId': 'ownTenantValue',
  },
  'Mutation.updateExternalLink': { 'input.id': 'linkId', 'input.internalId': 'ownTenantValue', 'input.externalId': 'ownTenantValue' },
  'Mutation.deleteExternalLink': { 'input.id': 'linkId' },
  // Its providers are named by its parts: the resolver takes both before any write, so a part
  // outside the key's grant is FORBIDDEN with nothing written.
  'Mutation.linkEverywhere': {
    'input.externalId': 'ownTenantValue',
    'input.m3ter.internalId': 'ownTenantValue',
    'input.m3ter.integrationConfigId': 'ownTenantValue',
    'input.revio.internalId': 'ownTenantValue',
  },
};
