/**
 * What the fields that read far beyond their answer can really read, in cost points (one per
 * record held, CALL_COST per vendor call), for the cost estimate (operation-cost.ts). Their
 * answers are small (an audit's findings, a graph's nodes), so pricing them by their answers let
 * 100 aliases of `linkAudit` or of `identityGraph(depth: 4)` through: 47.8 s and 32.6 s on the
 * large seed. Each alias is priced alone, as an upper bound: two aliases of one audit share it
 * at run time (resolvers/link-audit.ts), but the estimate does not follow arguments.
 */
import { AUDIT_MAX_LINKS } from '../audit/read-tenant-links.js';
import { MAX_IDENTITY_RECORDS } from '../identity/identity-graph.js';

/** An audit reads every link of both providers (at most AUDIT_MAX_LINKS each), by their largest pages (m3ter 200, Rev.io 500), and the Zuora directory. */
export const AUDIT_READS = 2 * AUDIT_MAX_LINKS;
export const AUDIT_CALLS = AUDIT_MAX_LINKS / 200 + AUDIT_MAX_LINKS / 500 + 1;

/** Links a record is assumed to have in a graph walk: as many as an unpaged list (ASSUMED_LIST_SIZE). */
export const IDENTITY_FAN_OUT = 10;
/** Lookups per provider per hop besides its own records' (by 50 ids): a holds-system check and a lookup for each of about two other systems. */
const OTHER_LOOKUPS = 3;
const IDENTITY_PROVIDERS = 2;

/**
 * A walk of `depth` hops, at most: each hop reads IDENTITY_FAN_OUT links (and a record at their
 * far end) per frontier record, and a hop starts while the walk holds at most
 * MAX_IDENTITY_RECORDS, so the last hop's frontier can be that many records and read ten times as
 * many. Depth 2 (the default) is 380 points, depth 4 12,740: a hundred of those are over the
 * default maxCost (1,000,000), a hundred at depth 2 are far under.
 */
export function identityWalkCost(depth: number, callCost: number): number {
  let frontier = 1;
  let points = 0;
  for (let hop = 1; hop <= depth; hop++) {
    // A hop starts only while the walk holds at most MAX_IDENTITY_RECORDS, so no frontier is larger.
    const from = Math.min(frontier, MAX_IDENTITY_RECORDS);
    const read = from * IDENTITY_FAN_OUT;
    // A link and the record at its far end, each.
    points += 2 * read + callCost * IDENTITY_PROVIDERS * (Math.ceil(from / 50) + OTHER_LOOKUPS);
    frontier = read;
  }
  return points;
}
