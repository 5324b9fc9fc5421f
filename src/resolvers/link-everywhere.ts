/**
 * `linkEverywhere`: one external record linked in m3ter and Rev.io by one mutation, m3ter first.
 *
 * Each part is its own write-once record under the one `clientMutationId` (same caller, tenant and
 * fingerprint rules as createExternalLink), so a replay writes neither part again: it reads each
 * back. Every part's record is claimed before any part is written, so the id reused with other
 * input is refused before any vendor write, whichever part's record tells. A part adopts only a
 * link it made (src/lib/existed-before.ts), so the link a compensation deletes is always this
 * mutation's own: one that existed before is never reported as written nor deleted. When the Rev.io write is refused after the m3ter link was made, the m3ter link is deleted
 * again, itself once (a third record); a replay that finds the m3ter link gone asks that record
 * whether the compensation deleted it (COMPENSATED again) or someone else did (NOT_FOUND, as any
 * replay whose object was deleted since). A Rev.io write whose outcome is unknown is not
 * compensated: the same `clientMutationId` settles it by searching Rev.io before writing.
 *
 * Each part's object carries `id` (the global id of its link, when it exists after the mutation),
 * which the audit line lists as `m3ter.id` / `revio.id`: the line says which links remain.
 */
import type { GraphQLContext } from '../context.js';
import { BadUserInputError, GatewayError, IdempotencyInProgressError, IdempotencyKeyReusedError, ReplayTargetGoneError } from '../errors.js';
import { onceFor } from '../idempotency/once-for.js';
import { mayHaveApplied, writeOnce, type ClaimedWrite } from '../idempotency/write-once.js';
import type { ExternalLink, NewLink, Provider } from '../models.js';
import type { LinkProvider, PreparedLinkCreate } from '../upstreams/index.js';
import type { LinkEverywhereInput, LinkEverywherePart, LinkEverywherePayload, MutationResolvers } from '../__generated__/graphql.js';
import { linkGlobalId } from './ids.js';
import { isCallerFacing } from './links-from-providers.js';
import { claimLinkCreate, nonEmpty, writeRefOf, type LinkWriteRef } from './link-writes.js';

type Part = Omit<LinkEverywherePart, 'link'> & { link?: ExternalLink | null; id?: string };
type Payload = Omit<LinkEverywherePayload, 'm3ter' | 'revio' | 'remaining'> & { m3ter: Part; revio: Part; remaining: ExternalLink[] };

const OPERATION = 'linkEverywhere';
const COMPENSATION = 'linkEverywhere.compensate';

export const linkEverywhereMutations: Pick<MutationResolvers, 'linkEverywhere'> = {
  linkEverywhere: (_root, { input }, context) => linkEverywhere(context, input),
};

interface Planned {
  links: LinkProvider;
  create: PreparedLinkCreate;
}

async function linkEverywhere(context: GraphQLContext, input: LinkEverywhereInput): Promise<Payload> {
  const { providers, requestId } = context;
  const call = { requestId };
  const externalSystem = nonEmpty(input.externalSystem, 'input.externalSystem');
  const externalId = nonEmpty(input.externalId, 'input.externalId');
  if (!input.m3ter && !input.revio) throw new BadUserInputError('linkEverywhere needs input.m3ter, input.revio or both, got neither');
  // Both grants and both inputs are checked before anything is written: a part that would be
  // refused for the caller's grant or its input must not leave the other part behind.
  const m3terLinks = input.m3ter ? providers.m3ter : undefined;
  const revioLinks = input.revio ? providers.revio : undefined;
  const m3ter: Planned | undefined =
    input.m3ter && m3terLinks
      ? { links: m3terLinks, create: await m3terLinks.prepareCreate(newLink(externalSystem, externalId, input.m3ter, input.m3ter.externalTable, input.m3ter.integrationConfigId), call) }
      : undefined;
  const revio: Planned | undefined =
    input.revio && revioLinks ? { links: revioLinks, create: await revioLinks.prepareCreate(newLink(externalSystem, externalId, input.revio), call) } : undefined;
  const fingerprint = { m3ter: m3ter?.create.fingerprint ?? null, revio: revio?.create.fingerprint ?? null };
  const scope = { clientMutationId: input.clientMutationId, input: fingerprint };

  const answer = (status: Payload['status'], m3terPart: Part, revioPart: Part): Payload => ({
    clientMutationId: input.clientMutationId ?? null,
    status,
    m3ter: m3terPart,
    revio: revioPart,
    remaining: [m3terPart, revioPart].flatMap((part) => (part.link ? [part.link] : [])),
  });

  // Every part's record is claimed before any part is written: an id reused with other input is
  // refused (IDEMPOTENCY_KEY_REUSED) by whichever part's record tells, before any vendor write.
  const m3terWrite = m3ter ? await claimPart(context, m3ter, scope) : undefined;
  let revioWrite: ClaimedWrite<ExternalLink | null> | undefined;
  try {
    revioWrite = revio ? await claimPart(context, revio, scope) : undefined;
  } catch (error) {
    await m3terWrite?.abandon();
    throw error;
  }
  try {
    return await writeParts(context, { m3ter, revio, m3terWrite, revioWrite, scope, answer });
  } finally {
    // A part the mutation did not reach (the m3ter part failed, or its replay found it gone).
    await revioWrite?.abandon();
  }
}

interface Claimed {
  m3ter: Planned | undefined;
  revio: Planned | undefined;
  m3terWrite: ClaimedWrite<ExternalLink | null> | undefined;
  revioWrite: ClaimedWrite<ExternalLink | null> | undefined;
  scope: { clientMutationId: string | null | undefined; input: unknown };
  answer: (status: Payload['status'], m3terPart: Part, revioPart: Part) => Payload;
}

async function writeParts(context: GraphQLContext, { m3ter, revio, m3terWrite, revioWrite, scope, answer }: Claimed): Promise<Payload> {
  let m3terPart = notAttempted('M3TER');
  if (m3ter && m3terWrite) {
    // A failure here wrote nothing (or left an unknown outcome for the replay): the whole mutation fails.
    const link = await m3terWrite.run();
    if (link === null) {
      // A replay whose m3ter link is gone: our compensation deleted it, or someone else did.
      await compensate(context, m3ter.links, scope, undefined);
      return answer('COMPENSATED', { provider: 'M3TER', outcome: 'COMPENSATED' }, { provider: 'REVIO', outcome: 'FAILED', message: 'The first attempt with this clientMutationId could not write it; send a new clientMutationId to try again' });
    }
    m3terPart = linked(link);
  }
  if (!revio || !revioWrite) return answer('LINKED', m3terPart, notAttempted('REVIO'));

  try {
    const link = await revioWrite.run();
    if (link === null) throw new ReplayTargetGoneError('The Rev.io key link that this clientMutationId wrote no longer exists (deleted since); it is not made again');
    return answer('LINKED', m3terPart, linked(link));
  } catch (error) {
    if (!isCallerFacing(error) || error instanceof IdempotencyKeyReusedError || error instanceof IdempotencyInProgressError || error instanceof ReplayTargetGoneError || m3terPart.link == null) throw error;
    const failed = partFailure('REVIO', error);
    if (failed.outcome === 'UNKNOWN') return answer('INCOMPLETE', m3terPart, failed);
    try {
      await compensate(context, m3ter!.links, scope, m3terPart.link);
      return answer('COMPENSATED', { provider: 'M3TER', outcome: 'COMPENSATED' }, failed);
    } catch (compensationError) {
      if (!(compensationError instanceof GatewayError)) throw compensationError;
      const remains = m3terPart.link;
      return answer(
        'INCOMPLETE',
        { ...m3terPart, code: compensationError.code, message: `The Rev.io write failed and this m3ter link (${linkGlobalId(remains)}, mapping ${remains.nativeId}) could not be deleted again: it remains` },
        failed,
      );
    }
  }
}

/** One part, claimed under the mutation's `clientMutationId`; its run answers null on a replay whose link is gone. */
function claimPart(context: GraphQLContext, { links, create }: Planned, scope: { clientMutationId: string | null | undefined; input: unknown }): Promise<ClaimedWrite<ExternalLink | null>> {
  return claimLinkCreate(context, { links, create, operation: OPERATION, ...scope });
}

/**
 * Deletes the m3ter link again, once. Without `link` (a replay that found it gone) only the record
 * can answer: done means our compensation deleted it; no record means someone else did.
 */
async function compensate(context: GraphQLContext, links: LinkProvider, scope: { clientMutationId: string | null | undefined; input: unknown }, link: ExternalLink | undefined): Promise<void> {
  const { requestId } = context;
  const once = onceFor(context, { vendor: links.vendor as LinkWriteRef['vendor'], tenant: links.tenant, operation: COMPENSATION, ...scope });
  if (link === undefined && once === undefined) throw new ReplayTargetGoneError('The m3ter link of this mutation no longer exists');
  await writeOnce<null>({
    once,
    // Gone already: the earlier attempt whose answer was lost deleted it.
    reconcile: async () => (link !== undefined && (await links.isGone(link.nativeId, { requestId })) ? { ...writeRefOf(links, link), deleted: true } : undefined),
    async write() {
      if (link === undefined) {
        throw new ReplayTargetGoneError('The m3ter link that this clientMutationId wrote no longer exists (deleted since, not by this mutation); it is not made again');
      }
      await links.delete(link.nativeId, { requestId });
      return { ref: { ...writeRefOf(links, link), deleted: true }, answer: null };
    },
    readBack: async () => null,
  });
  if (link !== undefined) context.loaders.linkById.clear(link);
}

function partFailure(provider: Provider, error: GatewayError): Part {
  return { provider, outcome: mayHaveApplied(error) ? 'UNKNOWN' : 'FAILED', code: error.code, message: error.message };
}

function linked(link: ExternalLink): Part & { link: ExternalLink } {
  return { provider: link.provider, outcome: 'LINKED', link, id: linkGlobalId(link) };
}

function notAttempted(provider: Provider): Part {
  return { provider, outcome: 'NOT_ATTEMPTED' };
}

function newLink(externalSystem: string, externalId: string, part: { internalType: string; internalId: string }, externalTable?: string, integrationConfigId?: string | null): NewLink {
  return {
    internalType: nonEmpty(part.internalType, 'internalType'),
    internalId: nonEmpty(part.internalId, 'internalId'),
    externalSystem,
    externalId,
    ...(externalTable === undefined ? {} : { externalTable }),
    ...(integrationConfigId ? { integrationConfigId } : {}),
  };
}
