/**
 * What every link write shares: the idempotency record's reference to a link, and creating a link
 * once under a `clientMutationId` (createExternalLink, and each part of linkEverywhere): an
 * earlier attempt whose outcome is unknown is looked for at the vendor before anything is written,
 * and a replay reads the link back from the vendor.
 */
import { BadUserInputError } from '../errors.js';
import type { LinkWriteRef } from '../idempotency/idempotency-store.js';
import { onceFor } from '../idempotency/once-for.js';
import { claimWrite, type ClaimedWrite } from '../idempotency/write-once.js';
import type { LinkRef, Loaders } from '../loaders/index.js';
import type { GraphQLContext } from '../context.js';
import type { ExternalLink, Provider } from '../models.js';
import type { LinkProvider, PreparedLinkCreate } from '../upstreams/index.js';

export type { LinkWriteRef } from '../idempotency/idempotency-store.js';

/**
 * The record's reference to a link of `links` (the same vendor and tenant): generic for every link
 * provider, so a new one needs nothing here.
 */
export function writeRefOf(links: LinkProvider, ref: { tenant: string; nativeId: string }): LinkWriteRef {
  return { vendor: links.vendor as LinkWriteRef['vendor'], tenant: ref.tenant, linkId: ref.nativeId };
}

/**
 * The link a record names, as the link loader asks for it. A record is found only under its own
 * vendor and tenant (the once key holds both), so the provider at hand is the record's.
 */
export function linkRefOf(provider: Provider, written: LinkWriteRef): LinkRef {
  return { provider, tenant: written.tenant, nativeId: written.linkId };
}

/** The link as stored now, read past the request's cache; null when it is gone. */
export function readStoredLink(loaders: Loaders, provider: Provider, written: LinkWriteRef): Promise<ExternalLink | null> {
  const ref = linkRefOf(provider, written);
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
export async function createLinkOnce(context: GraphQLContext, create: CreateOnce): Promise<ExternalLink | null> {
  return (await claimLinkCreate(context, create)).run();
}

/**
 * The claimed create, not yet written (a mutation with several parts claims them all first). The
 * link it answers is one this write made: found links that existed before are never adopted.
 */
export function claimLinkCreate(context: GraphQLContext, { links, create, operation, clientMutationId, input }: CreateOnce): Promise<ClaimedWrite<ExternalLink | null>> {
  const { loaders, requestId } = context;
  const refOf = (nativeId: string): LinkWriteRef => writeRefOf(links, { tenant: links.tenant, nativeId });
  return claimWrite<ExternalLink | null>({
    once: onceFor(context, { vendor: links.vendor as LinkWriteRef['vendor'], tenant: links.tenant, operation, clientMutationId, input }),
    existing: () => create.matching({ requestId }),
    // Only a link absent before the first attempt is ours: one that was there is never adopted.
    async reconcile(before) {
      const nativeId = before.adopt(await create.matching({ requestId }));
      return nativeId === undefined ? undefined : refOf(nativeId);
    },
    async write(before) {
      const written = await create.write({ requestId }, before);
      return written.link === undefined ? { ref: refOf(written.nativeId) } : { ref: refOf(written.nativeId), answer: written.link };
    },
    readBack: (ref) => readStoredLink(loaders, links.provider, ref as LinkWriteRef),
  });
}

export function nonEmpty(value: string | null | undefined, field: string): string {
  if (value === null || value === undefined || value.trim() === '') throw new BadUserInputError(`${field} is required, got ${value === '' ? 'an empty string' : 'nothing'}`);
  return value;
}
