/**
 * The checks behind ARGUMENT_CHECKS, one per kind. Each parses the value as its resolver will
 * (so a malformed id is BAD_USER_INPUT here too) and refuses, with FORBIDDEN naming the argument,
 * anything outside the caller's grant. Only `connectionTarget` and `actingConnection` read a
 * vendor, and only as an entity the caller may act as: whether an id the gateway cannot place
 * belongs to the tenant is a question for the tenant's own lists, asked before any write.
 */
import type { GraphQLContext } from '../context.js';
import { ForbiddenError, UpstreamNotFoundError } from '../errors.js';
import { fromGlobalId } from '../lib/global-id.js';
import { cursorScopeOf } from '../lib/paging.js';
import { connectionIdArg, entityIdArg, isProvider, linkIdArg } from '../resolvers/ids.js';
import type { ArgumentCheckKind } from './argument-checks.js';

export interface CheckedArgument {
  /** The value at the path; never null or undefined (absent arguments are not checked). */
  value: unknown;
  /** The argument's path as the caller wrote it, e.g. `input.sourceEntityId`: used in messages. */
  path: string;
  /** All of the field's arguments, for checks that need a sibling (the acting entity). */
  args: Readonly<Record<string, unknown>>;
  /** The object the field is asked on (`$parent`). */
  parent: unknown;
  /** The field, e.g. `acceptConnection`. */
  fieldName: string;
  context: GraphQLContext;
}

type Check = (argument: CheckedArgument) => void | Promise<void>;

const CHECKS: Record<ArgumentCheckKind, Check> = {
  actingEntity: ({ value, path, context }) => context.grant.requireActAs(entityIdArg(String(value), path), path),
  actingParentEntity: ({ parent, context }) => context.grant.requireActAs((parent as { id: string }).id, 'the entity asked for its connections'),
  tenantEntity: ({ value, path, context }) => context.grant.requireZuoraTenant(entityIdArg(String(value), path), path),
  async connectionTarget({ value, path, context }) {
    const target = entityIdArg(String(value), path);
    context.grant.requireZuoraTenant(target, path);
    // The gateway knows only the entities it is configured with; the tenant's list knows them all.
    const inTenant = (await context.loaders.allEntities.get()).some((entity) => entity.id.toLowerCase() === target);
    if (!inTenant) throw new ForbiddenError(`${path} names Zuora entity ${shown(target)}, which is not an entity of the Zuora tenant this request acts in`);
  },
  async actingConnection({ value, path, args, fieldName, context }) {
    const { connectionId, sourceEntityId } = connectionIdArg(String(value), path);
    if (sourceEntityId !== undefined) context.grant.requireZuoraTenant(sourceEntityId, `${path} (its source entity)`);
    const actingValue = (args.input as { actingEntityId?: unknown } | undefined)?.actingEntityId;
    if (typeof actingValue !== 'string') return;
    const acting = entityIdArg(actingValue, 'input.actingEntityId');
    context.grant.requireActAs(acting, 'input.actingEntityId');
    // The acting entity's own list says whether this is its connection: one read, never a write.
    const found = (await context.loaders.connectionsOf.load(acting)).find((c) => c.id.toLowerCase() === connectionId);
    if (found === undefined) {
      // Not the acting entity's, or no such connection: the same answer, so ids of other tenants' connections cannot be probed.
      throw new UpstreamNotFoundError({ vendor: 'zuora', operation: fieldName, retryable: false });
    }
    if (fieldName !== 'disconnectConnection' && found.targetEntityId.toLowerCase() !== acting) {
      throw new ForbiddenError(`${fieldName === 'acceptConnection' ? 'Accepting' : 'Denying'} a connection is for its target entity; input.actingEntityId is its source`);
    }
  },
  nodeId(argument) {
    const type = fromGlobalId(String(argument.value))?.type;
    if (type === 'Entity') return CHECKS.tenantEntity(argument);
    if (type === 'ExternalLink') return CHECKS.linkId(argument);
    if (type === 'Connection') {
      const { sourceEntityId } = connectionIdArg(String(argument.value), argument.path);
      argument.context.grant.requireZuoraTenant(sourceEntityId!, `${argument.path} (its source entity)`);
    }
    // Anything else is the resolver's BAD_USER_INPUT.
  },
  linkId: ({ value, path, context }) => context.grant.requireLinkTenant(linkIdArg(String(value), path), path),
  linkProvider: ({ value, path, context }) => {
    if (typeof value === 'string' && isProvider(value)) context.grant.requireLinkProvider(value, `${path} ${value}`);
  },
  linkFilter: ({ value, path, context }) => {
    const provider = (value as { provider?: unknown }).provider;
    if (typeof provider === 'string' && isProvider(provider)) context.grant.requireLinkProvider(provider, `${path}.provider ${provider}`);
  },
  entityCursor: ({ value, path, context }) => {
    const scope = cursorScopeOf(String(value), ['entities:']);
    if (scope !== undefined && scope !== context.grant.cursorScope('entities')) throw otherTenantCursor(path);
  },
  connectionCursor: ({ value, path, context }) => {
    // Its scope is the entity whose connections it pages; the list name ties it to the field's entity.
    const scope = cursorScopeOf(String(value), ['connections:', 'zuora-connections:']);
    if (scope !== undefined && !context.grant.mayActAs(scope)) throw otherTenantCursor(path);
  },
  linkCursor: ({ value, path, context }) => {
    const scope = cursorScopeOf(String(value), ['externalLinks:']);
    if (scope !== undefined && scope !== context.grant.cursorScope('links')) throw otherTenantCursor(path);
  },
  ownTenantValue: () => undefined,
};

export function checkArgument(kind: ArgumentCheckKind, argument: CheckedArgument): void | Promise<void> {
  return CHECKS[kind](argument);
}

function otherTenantCursor(path: string): ForbiddenError {
  return new ForbiddenError(`${path} is a cursor of another tenant's list; pass an endCursor this list returned to this key`);
}

function shown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
