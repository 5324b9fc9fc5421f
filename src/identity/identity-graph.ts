/**
 * "What is this record everywhere?": from one record, the links of both providers followed hop by
 * hop, breadth first, up to `depth` hops. Each record is asked about once (a record met again, by
 * a cycle or a second path, is not asked again), and each hop asks every record of the hop at
 * once, so a hop costs per provider one lookup per kind of question, not one per record:
 *
 *   the provider's own records (m3ter Accounts, Rev.io customers)   linksFrom: m3ter by 50 ids a list, Rev.io one search per entity type
 *   other systems' records (Salesforce, Stripe, Zuora, …)           linksTo: one lookup per system, only in a provider that holds the system
 */
import type { Pace } from '../lib/pace.js';
import type { ExternalLink, LinkSide } from '../models.js';
import type { Call, LinkProvider } from '../upstreams/index.js';
import { recordOf, type IdentityRecord, type RecordKind } from './identity-record.js';

/** Hops the caller may ask for; the default is the "account → mapping → other systems". */
export const DEFAULT_IDENTITY_DEPTH = 2;
export const MAX_IDENTITY_DEPTH = 4;
/** Past this many records the walk stops taking new hops: a cap while running, beside the query's cost limit. */
export const MAX_IDENTITY_RECORDS = 500;

export interface IdentityGraph {
  records: IdentityRecord[];
  links: ExternalLink[];
  /** True when MAX_IDENTITY_RECORDS stopped the walk before `depth`. */
  truncated: boolean;
}

export interface IdentityWalk {
  providers: readonly LinkProvider[];
  call: Call;
  /** A failed lookup the caller can act on (a vendor down): the walk goes on without it. Anything else is thrown. */
  onLookupFailed(error: unknown): void;
  /**
   * Counts the records and links the walk holds into the answer's item budget, hop by hop (it
   * throws past the budget): the walk's own cap is checked only between hops, and one hop from a
   * wide frontier can read thousands of links.
   */
  countItems(n: number): void;
  /** One unit per link a hop read; yields the event loop and stops at the deadline (lib/pace.ts). */
  pace: Pace;
}

const OWN_KIND: Readonly<Record<LinkProvider['provider'], RecordKind>> = { M3TER: 'm3ter', REVIO: 'revio' };

export async function identityGraph(start: LinkSide, depth: number, walk: IdentityWalk): Promise<IdentityGraph> {
  const first = recordOf(start, 0);
  const records = new Map<string, IdentityRecord>([[first.key, first]]);
  const links = new Map<string, ExternalLink>();
  let frontier = [first];
  let truncated = false;
  walk.countItems(1);
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    if (records.size > MAX_IDENTITY_RECORDS) {
      truncated = true;
      break;
    }
    const next: IdentityRecord[] = [];
    const read = await linksOfHop(frontier, walk);
    const held = records.size + links.size;
    for (const link of read) {
      const wait = walk.pace(1);
      if (wait !== undefined) await wait;
      const id = `${link.provider}\n${link.tenant}\n${link.nativeId}`;
      if (links.has(id)) continue;
      links.set(id, link);
      for (const side of [link.internal, link.external]) {
        const record = recordOf(side, hop);
        const known = records.get(record.key);
        if (known === undefined) {
          records.set(record.key, record);
          next.push(record);
        } else if (known.type === null && record.type !== null) {
          // Rev.io names an m3ter record without its type; m3ter's own link gives it.
          known.type = record.type;
        }
      }
    }
    walk.countItems(records.size + links.size - held);
    frontier = next;
  }
  return { records: [...records.values()], links: [...links.values()], truncated };
}

/** Every link of the hop's records, all lookups of the hop at once; a provider that fails is reported and skipped. */
async function linksOfHop(frontier: readonly IdentityRecord[], { providers, call, onLookupFailed }: IdentityWalk): Promise<ExternalLink[]> {
  const lookups: Promise<ExternalLink[]>[] = [];
  for (const provider of providers) {
    const own = frontier.filter((record) => record.kind === OWN_KIND[provider.provider]);
    for (const group of groups(own, (record) => (provider.provider === 'REVIO' ? (record.type?.toUpperCase() ?? '') : ''))) {
      lookups.push(provider.linksFrom(group[0]!.type === null || provider.provider === 'M3TER' ? null : group[0]!.type, ids(group), call));
    }
    const others = frontier.filter((record) => record.kind !== OWN_KIND[provider.provider]);
    for (const group of groups(others, (record) => record.key.slice(0, record.key.indexOf('\n')))) {
      const system = group[0]!.system;
      lookups.push(provider.holdsSystem(system, call).then((holds) => (holds ? provider.linksTo(system, ids(group), call) : [])));
    }
  }
  const settled = await Promise.allSettled(lookups);
  const found: ExternalLink[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') found.push(...result.value);
    else onLookupFailed(result.reason);
  }
  return found;
}

function groups(records: readonly IdentityRecord[], keyOf: (record: IdentityRecord) => string): IdentityRecord[][] {
  const byKey = new Map<string, IdentityRecord[]>();
  for (const record of records) byKey.set(keyOf(record), [...(byKey.get(keyOf(record)) ?? []), record]);
  return [...byKey.values()];
}

function ids(records: readonly IdentityRecord[]): string[] {
  return records.map((record) => record.id);
}
