/**
 * What every link write shares: the idempotency record's reference to a link, and creating a link
 * once under a `clientMutationId` (createExternalLink, and each part of linkEverywhere): an
 * earlier attempt whose outcome is unknown is looked for at the vendor before anything is written,
 * and a replay reads the link back from the vendor.
 */
import { BadUserInputError } from '../errors.js';
import type { WriteRef } from '../idempotency/idempotency-store.js';
import { onceFor } from '../idempotency/once-for.js';
import { writeOnce } from '../idempotency/write-once.js';
import type { LinkRef, Loaders } from '../loaders/index.js';
import type { GraphQLContext } from '../context.js';
import type { ExternalLink } from '../models.js';
import type { LinkProvider, PreparedLinkCreate } from '../upstreams/index.js';

export type LinkWriteRef = Extract<WriteRef, { vendor: 'm3ter' | 'revio' }>;

export function writeRefOf(ref: LinkRef): LinkWriteRef {
  return ref.provider === 'M3TER' ? { vendor: 'm3ter', orgId: ref.tenant, mappingId: ref.nativeId } : { vendor: 'revio', clientCode: ref.tenant, keyLinkId: ref.nativeId };
}

export function linkRefOf(written: LinkWriteRef): LinkRef {
  return written.vendor === 'm3ter' ? { provider: 'M3TER', tenant: written.orgId, nativeId: written.mappingId } : { provider: 'REVIO', tenant: written.clientCode, nativeId: written.keyLinkId };
}

/** The link as stored now, read past the request's cache; null when it is gone. */
export function readStoredLink(loaders: Loaders, written: LinkWriteRef): Promise<ExternalLink | null> {
  const ref = linkRefOf(written);
  return loaders.linkById.clear(ref).load(ref);
}

export interface CreateOnce {
  links: LinkProvider;
  create: PreparedLinkCreate;
  /** Names the record: the same `clientMutationId` for another operation is another write. */
  operation: string;
  clientMutationId: string | null | undefined;
  /** What makes a replay the same write (the prepared create's fingerprint, or a mutation's). */
  input: unknown;
}

/** The link, written once per `clientMutationId`; null on a replay whose link was deleted since. */
export function createLinkOnce(context: GraphQLContext, { links, create, operation, clientMutationId, input }: CreateOnce): Promise<ExternalLink | null> {
  const { loaders, requestId } = context;
  const refOf = (nativeId: string): LinkWriteRef => writeRefOf({ provider: links.provider, tenant: links.tenant, nativeId });
  return writeOnce<ExternalLink | null>({
    once: onceFor(context, { vendor: links.vendor as LinkWriteRef['vendor'], tenant: links.tenant, operation, clientMutationId, input }),
    async reconcile() {
      const nativeId = await create.findWritten({ requestId });
      return nativeId === undefined ? undefined : refOf(nativeId);
    },
    async write() {
      const written = await create.write({ requestId });
      return written.link === undefined ? { ref: refOf(written.nativeId) } : { ref: refOf(written.nativeId), answer: written.link };
    },
    readBack: (ref) => readStoredLink(loaders, ref as LinkWriteRef),
  });
}

export function nonEmpty(value: string | null | undefined, field: string): string {
  if (value === null || value === undefined || value.trim() === '') throw new BadUserInputError(`${field} is required, got ${value === '' ? 'an empty string' : 'nothing'}`);
  return value;
}
