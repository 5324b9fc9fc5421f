/** `Query.identityGraph`: one record's identity graph (src/identity/), and its nodes' Zuora entities. */
import { BadUserInputError } from '../errors.js';
import { DEFAULT_IDENTITY_DEPTH, identityGraph, MAX_IDENTITY_DEPTH } from '../identity/identity-graph.js';
import { recordOf } from '../identity/identity-record.js';
import { requestBudget } from '../limits/request-budget.js';
import type { LinkSide } from '../models.js';
import { reportPartialError } from '../plugins/partial-errors-plugin.js';
import type { IdentityNodeResolvers, QueryResolvers } from '../__generated__/graphql.js';
import { isCallerFacing } from './links-from-providers.js';

const HEX32 = /^[0-9a-f]{32}$/;

export const identityGraphQueries: Pick<QueryResolvers, 'identityGraph'> = {
  async identityGraph(_root, { system, id, depth }, context, info) {
    if (system.trim() === '' || id === '') throw new BadUserInputError('identityGraph needs a system name and an id, both non-empty');
    const hops = depth ?? DEFAULT_IDENTITY_DEPTH;
    if (!Number.isInteger(hops) || hops < 1 || hops > MAX_IDENTITY_DEPTH) throw new BadUserInputError(`depth must be 1 to ${MAX_IDENTITY_DEPTH}, got ${hops}`);
    const { grant, providers, requestId, limits } = context;
    const budget = requestBudget(context, limits);
    const graph = await identityGraph({ system, type: null, id }, hops, {
      providers: grant.linkProviders().map((provider) => providers.links(provider)),
      call: { requestId },
      countItems: (n) => budget.countItems(n),
      pace: budget.pace,
      // A vendor that fails leaves the other's links, with its error beside the field.
      onLookupFailed(error) {
        if (!isCallerFacing(error)) throw error;
        reportPartialError(context, info, error);
      },
    });
    const index = new Map(graph.records.map((record, i) => [record.key, i]));
    const indexOf = (side: LinkSide) => index.get(recordOf(side, 0).key)!;
    return {
      nodes: graph.records.map(({ system: shown, type, id: recordId, depth: at }) => ({ system: shown, type, id: recordId, depth: at })),
      edges: graph.links.map((link) => ({ provider: link.provider, link, internal: indexOf(link.internal), external: indexOf(link.external) })),
      truncated: graph.truncated,
    };
  },
};

export const IdentityNode: IdentityNodeResolvers = {
  entity: (node, _args, { loaders }) => (node.system === 'Zuora' && HEX32.test(node.id) ? loaders.entityById.load(node.id) : null),
};

