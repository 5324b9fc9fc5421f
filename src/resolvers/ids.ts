/**
 * Ids in arguments, checked before anything goes upstream: each takes our opaque global id and,
 * where the schema says so, the vendor's own id, and answers BAD_USER_INPUT saying what was
 * expected otherwise.
 */
import { BadUserInputError } from '../errors.js';
import { expectGlobalId, fromGlobalId, toGlobalId } from '../lib/global-id.js';
import type { LinkRef } from '../loaders/index.js';
import type { ConnectionInContext, Entity, ExternalLink, Provider } from '../models.js';
import { zuoraIdOf } from '../upstreams/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const entityGlobalId = (entity: Entity): string => toGlobalId('Entity', entity.id);
/** The source is in the id because Zuora lists connections per entity: it tells where to find it again. */
export const connectionGlobalId = (connection: ConnectionInContext): string => toGlobalId('Connection', connection.sourceEntityId, connection.id);
export const linkGlobalId = (link: Pick<ExternalLink, 'provider' | 'tenant' | 'nativeId'>): string => toGlobalId('ExternalLink', link.provider, link.tenant, link.nativeId);

/** An Entity global id, or Zuora's id (32 hex or hyphenated) → 32 lower-case hex. */
export function entityIdArg(id: string, argument = 'id'): string {
  const native = zuoraIdOf(id);
  if (native !== undefined) return native;
  const decoded = fromGlobalId(id);
  const inner = decoded?.type === 'Entity' && decoded.parts.length === 1 ? zuoraIdOf(decoded.parts[0]!) : undefined;
  if (inner === undefined) throw new BadUserInputError(`${argument} must be an Entity id or a 32-hex Zuora entity id, got ${shown(id)}`);
  return inner;
}

/** A Connection global id (source and id), or Zuora's 32-hex connection id (source unknown). */
export function connectionIdArg(id: string, argument = 'connectionId'): { connectionId: string; sourceEntityId: string | undefined } {
  const native = zuoraIdOf(id);
  if (native !== undefined) return { connectionId: native, sourceEntityId: undefined };
  const decoded = fromGlobalId(id);
  if (decoded?.type === 'Connection' && decoded.parts.length === 2) {
    const [source, connection] = decoded.parts.map(zuoraIdOf);
    if (source !== undefined && connection !== undefined) return { connectionId: connection, sourceEntityId: source };
  }
  throw new BadUserInputError(`${argument} must be a Connection id or a 32-hex Zuora connection id, got ${shown(id)}`);
}

/** An ExternalLink global id → provider, tenant and a native id of the provider's form. */
export function linkIdArg(id: string, argument = 'id'): LinkRef {
  const [provider, tenant, nativeId] = expectGlobalId(id, 'ExternalLink', 3, argument) as [string, string, string];
  if (provider === 'M3TER' && UUID.test(nativeId)) return { provider, tenant, nativeId };
  if (provider === 'REVIO' && /^[1-9]\d{0,9}$/.test(nativeId) && Number(nativeId) <= 2_147_483_647) return { provider, tenant, nativeId };
  throw new BadUserInputError(`${argument} must be an ExternalLink id, got ${shown(id)}`);
}

export function isProvider(value: string): value is Provider {
  return value === 'M3TER' || value === 'REVIO';
}

export function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
