/**
 * The link audit's rules, pure: a tenant's links from both providers in, findings out, each with
 * a kind, a severity, the links involved and a one-line reason. External records compare as the
 * identity graph compares them (system any case, id exact, Zuora ids in their 32-hex form).
 *
 *   DUPLICATE     one provider holds the same internal record → external record link twice
 *   SPLIT         one provider links one external record to two internal records, or one
 *                 internal record to two ids of one external system and table
 *   DISAGREEMENT  both providers link an external record, and no internal record of one belongs
 *                 together with any of the other: "belong together" means the identity graph
 *                 joins them within MAX_IDENTITY_DEPTH links *without passing through that external
 *                 record* (else every pair would, through it). Where at least one pair does, the
 *                 odd one out is the provider's own SPLIT, not a disagreement.
 *   DANGLING      a link's Zuora end is not an entity of the tenant's Zuora directory
 *   ONE_SIDED     an external record of a system the tenant declares both providers must hold
 *                 (`bothProviders`) is linked in one provider only
 */
import { MAX_IDENTITY_DEPTH } from '../identity/identity-graph.js';
import { NO_PACE, type Pace } from '../lib/pace.js';
import { recordOf } from '../identity/identity-record.js';
import type { ExternalLink, Provider } from '../models.js';

export type FindingKind = 'DUPLICATE' | 'SPLIT' | 'DISAGREEMENT' | 'DANGLING' | 'ONE_SIDED';
export type FindingSeverity = 'ERROR' | 'WARNING';

export interface LinkFinding {
  kind: FindingKind;
  severity: FindingSeverity;
  links: ExternalLink[];
  reason: string;
}

export interface AuditFacts {
  /** The tenant's Zuora entities, 32 lower-case hex. */
  entityIds: ReadonlySet<string>;
  /** External systems (lower case) both providers must hold; empty: no ONE_SIDED findings. */
  bothProviders: ReadonlySet<string>;
}

/** Severity by kind: a duplicate or a one-sided link loses nothing; the rest point at the wrong record. */
export const SEVERITY: Readonly<Record<FindingKind, FindingSeverity>> = {
  DUPLICATE: 'WARNING',
  SPLIT: 'ERROR',
  DISAGREEMENT: 'ERROR',
  DANGLING: 'ERROR',
  ONE_SIDED: 'WARNING',
};

const PROVIDER_NAME: Readonly<Record<Provider, string>> = { M3TER: 'm3ter', REVIO: 'Rev.io' };

/**
 * The findings, in a fixed order. Every link grouped and every record a DISAGREEMENT check visits
 * is one unit of `pace`: on a tenant's 40,000 links the rules are seconds of work, which must
 * neither hold the event loop nor outlive the request's deadline.
 */
export async function linkFindings(links: readonly ExternalLink[], facts: AuditFacts, pace: Pace = NO_PACE): Promise<LinkFinding[]> {
  const findings: LinkFinding[] = [];
  const add = (kind: FindingKind, involved: ExternalLink[], reason: string) => findings.push({ kind, severity: SEVERITY[kind], links: involved, reason });
  const internalOf = (link: ExternalLink) => recordOf(link.internal, 0).key;
  const externalOf = (link: ExternalLink) => recordOf(link.external, 0);

  for (const provider of ['M3TER', 'REVIO'] as const) {
    const own = links.filter((link) => link.provider === provider);
    const wait = pace(links.length);
    if (wait !== undefined) await wait;
    const name = PROVIDER_NAME[provider];
    for (const same of await groupsOfMany(own, pace, (link) => `${internalOf(link)}\n${externalOf(link).key}\n${(link.external.type ?? '').toLowerCase()}`)) {
      add('DUPLICATE', same, `${name} links ${describe(same[0]!.internal)} to ${describe(same[0]!.external)} ${same.length} times`);
    }
    for (const claimed of await groupsOfMany(own, pace, (link) => externalOf(link).key)) {
      const internals = new Set(claimed.map(internalOf));
      if (internals.size > 1) add('SPLIT', claimed, `${name} links ${describe(claimed[0]!.external)} to ${internals.size} different records`);
    }
    for (const fanned of await groupsOfMany(own, pace, (link) => `${internalOf(link)}\n${externalOf(link).key.split('\n')[0]}\n${(link.external.type ?? '').toLowerCase()}`)) {
      const externals = new Set(fanned.map((link) => externalOf(link).key));
      if (externals.size > 1) add('SPLIT', fanned, `${name} links ${describe(fanned[0]!.internal)} to ${externals.size} different ${fanned[0]!.external.system}${fanned[0]!.external.type ? ` ${fanned[0]!.external.type}` : ''} records`);
    }
  }

  const graph = await adjacency(links, pace);
  for (const sharing of await groupsOf(links, pace, (link) => externalOf(link).key)) {
    const m3ter = sharing.filter((link) => link.provider === 'M3TER');
    const revio = sharing.filter((link) => link.provider === 'REVIO');
    const external = externalOf(sharing[0]!);
    if (m3ter.length > 0 && revio.length > 0) {
      const targets = new Set(revio.map(internalOf));
      let together = false;
      for (const link of m3ter) {
        if (await reaches(graph, internalOf(link), targets, external.key, pace)) {
          together = true;
          break;
        }
      }
      if (!together) add('DISAGREEMENT', sharing, `m3ter and Rev.io link ${describe(sharing[0]!.external)} to records nothing else ties together`);
    } else if (facts.bothProviders.has(external.system.toLowerCase())) {
      add('ONE_SIDED', sharing, `${describe(sharing[0]!.external)} is linked in ${m3ter.length > 0 ? 'm3ter' : 'Rev.io'} only; this tenant keeps ${external.system} in both`);
    }
  }

  for (const link of links) {
    const wait = pace(1);
    if (wait !== undefined) await wait;
    const external = externalOf(link);
    if (external.kind === 'zuora' && !facts.entityIds.has(external.id)) {
      add('DANGLING', [link], `${PROVIDER_NAME[link.provider]} links ${describe(link.internal)} to Zuora entity ${link.external.id}, which is not an entity of this tenant`);
    }
  }
  return findings;
}

/** Links grouped by a key, groups and links in first-seen order. */
async function groupsOf(links: readonly ExternalLink[], pace: Pace, keyOf: (link: ExternalLink) => string): Promise<ExternalLink[][]> {
  const groups = new Map<string, ExternalLink[]>();
  for (const link of links) {
    const wait = pace(1);
    if (wait !== undefined) await wait;
    const key = keyOf(link);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [link]);
    else group.push(link);
  }
  return [...groups.values()];
}

/** Groups of two or more. */
async function groupsOfMany(links: readonly ExternalLink[], pace: Pace, keyOf: (link: ExternalLink) => string): Promise<ExternalLink[][]> {
  return (await groupsOf(links, pace, keyOf)).filter((group) => group.length > 1);
}

async function adjacency(links: readonly ExternalLink[], pace: Pace): Promise<Map<string, Set<string>>> {
  const graph = new Map<string, Set<string>>();
  const join = (a: string, b: string) => graph.set(a, (graph.get(a) ?? new Set()).add(b));
  for (const link of links) {
    const wait = pace(1);
    if (wait !== undefined) await wait;
    const a = recordOf(link.internal, 0).key;
    const b = recordOf(link.external, 0).key;
    join(a, b);
    join(b, a);
  }
  return graph;
}

/** Whether `from` reaches any of `targets` within MAX_IDENTITY_DEPTH links, never through `avoid`. */
async function reaches(graph: ReadonlyMap<string, ReadonlySet<string>>, from: string, targets: ReadonlySet<string>, avoid: string, pace: Pace): Promise<boolean> {
  const seen = new Set([from, avoid]);
  let frontier = [from];
  for (let hop = 0; hop < MAX_IDENTITY_DEPTH && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const key of frontier) {
      for (const neighbour of graph.get(key) ?? []) {
        const wait = pace(1);
        if (wait !== undefined) await wait;
        if (targets.has(neighbour)) return true;
        if (!seen.has(neighbour)) {
          seen.add(neighbour);
          next.push(neighbour);
        }
      }
    }
    frontier = next;
  }
  return false;
}

function describe(side: ExternalLink['internal']): string {
  return `${side.system}${side.type ? ` ${side.type}` : ''} ${side.id}`;
}
