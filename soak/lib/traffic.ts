/**
 * The soak's callers: each loops until told to stop, sending what real callers send (the
 * README's graph query, lookups, paging a link list to its end, link writes at both providers and
 * the connection lifecycle), and behaves as a well-behaved client: a write carries a unique
 * `clientMutationId` and is replayed with the same id on every retryable failure. Every answer is
 * recorded and checked for other tenants' ids; every acknowledged write is remembered for the
 * final reconciliation against the vendors' own records.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fromGlobalId } from '../../src/lib/global-id.js';
import type { TenantWorld } from './soak-world.js';

export type OperationName = 'graph' | 'lookup' | 'resolve' | 'page-links' | 'm3ter-write' | 'revio-write' | 'zuora-lifecycle';

/** Which vendors an operation's fields need (for "the other vendors keep their latency"). */
export const VENDORS_OF: Record<OperationName, readonly ('zuora' | 'm3ter' | 'revio')[]> = {
  graph: ['zuora', 'm3ter', 'revio'],
  lookup: ['zuora'],
  resolve: ['m3ter', 'revio'],
  'page-links': ['m3ter', 'revio'],
  'm3ter-write': ['m3ter'],
  'revio-write': ['revio'],
  'zuora-lifecycle': ['zuora'],
};

const WEIGHTS: [OperationName, number][] = [
  ['graph', 4],
  ['lookup', 6],
  ['resolve', 4],
  ['page-links', 1],
  ['m3ter-write', 2],
  ['revio-write', 2],
  ['zuora-lifecycle', 1],
];

export interface RequestRecord {
  phase: string;
  operation: OperationName;
  /** The GraphQL call within the operation (`createExternalLink`, `page 3`, …). */
  step: string;
  status: number;
  latencyMs: number;
  /** `extensions.code` of each error; `HTTP_<status>` or `NETWORK` when no GraphQL answer came. */
  codes: string[];
  /** Errors without a code, or an upstream error without `retryable`. */
  malformed: number;
  /** Ids of another tenant found in the answer. */
  leaks: string[];
}

export interface AcknowledgedLink {
  provider: 'M3TER' | 'REVIO';
  tenantIndex: number;
  /** The external id the link has now (m3ter updates change it). */
  externalId: string;
  nativeId: string;
  deleted: boolean;
  /**
   * A delete was sent and never acknowledged (the codes of its last answer): the vendor may or
   * may not hold the link, so it is not a lost write either way.
   */
  deleteUnanswered?: string[];
}

export interface UnsettledWrite {
  provider: 'M3TER' | 'REVIO';
  tenantIndex: number;
  externalIds: string[];
}

export interface TrafficLog {
  records: RequestRecord[];
  links: AcknowledgedLink[];
  /** Writes the client gave up on: the vendor may or may not hold them, but never twice. */
  unsettled: UnsettledWrite[];
  connections: { tenantIndex: number; connectionId: string; sourceEntityId: string }[];
}

export interface TrafficOptions {
  url: string;
  worlds: TenantWorld[];
  clients: number;
  /**
   * Each client starts an operation about every `paceMs` (0.5 to 1.5 times it), as callers with
   * their own work do, instead of firing the next the moment an answer comes: a vendor's outage
   * then does not turn into more load on the others. A slow operation delays only its own
   * client's next one.
   */
  paceMs: number;
  /** The phase now running, read before each request. */
  phase: () => string;
  stopped: () => boolean;
}

/** Codes a well-behaved client retries (with the same clientMutationId for writes). */
const RETRYABLE = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_RATE_LIMITED', 'REQUEST_TIMEOUT', 'IDEMPOTENCY_IN_PROGRESS', 'NETWORK', 'HTTP_502', 'HTTP_503', 'HTTP_504']);
const MAX_REPLAYS = 6;

export async function runTraffic(options: TrafficOptions): Promise<TrafficLog> {
  const log: TrafficLog = { records: [], links: [], unsettled: [], connections: [] };
  let sequence = 0;
  const loops = Array.from({ length: options.clients }, async (_, client) => {
    const world = options.worlds[client % options.worlds.length]!;
    const random = seeded(client + 1);
    // Spread the start so the clients do not arrive in lockstep.
    await sleep(Math.floor(random() * 500));
    while (!options.stopped()) {
      const next = performance.now() + options.paceMs * (0.5 + random());
      const operation = pick(random);
      const tag = `soak-${client}-${(sequence += 1)}`;
      const call = caller(options, world, operation, log);
      try {
        await OPERATIONS[operation]({ call, world, tag, random, log });
      } catch (error) {
        // A harness bug must not pass silently as traffic.
        console.error(`[soak] ${operation} failed in the harness:`, error);
        throw error;
      }
      const wait = next - performance.now();
      if (wait > 0 && !options.stopped()) await sleep(wait);
    }
  });
  await Promise.all(loops);
  return log;
}

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; path?: unknown[]; extensions?: Record<string, any> }[] } | undefined;
  codes: string[];
}

type Call = (step: string, query: string, variables?: Record<string, unknown>) => Promise<Answer>;

function caller(options: TrafficOptions, world: TenantWorld, operation: OperationName, log: TrafficLog): Call {
  return async (step, query, variables = {}) => {
    // The phase the request was sent in: a call that hangs into the next phase belongs to this one.
    const phase = options.phase();
    const started = performance.now();
    let status = 0;
    let text = '';
    try {
      const response = await fetch(`${options.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${world.apiKey}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(60_000),
      });
      status = response.status;
      text = await response.text();
    } catch {
      status = 0;
    }
    const latencyMs = performance.now() - started;
    let body: Answer['body'];
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const errors = body?.errors ?? [];
    const codes = status === 0 ? ['NETWORK'] : body === undefined ? [`HTTP_${status}`] : errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'NO_CODE'));
    const malformed = errors.filter((e) => typeof e.extensions?.code !== 'string' || (String(e.extensions.code).startsWith('UPSTREAM_') && typeof e.extensions.upstream?.retryable !== 'boolean')).length;
    log.records.push({ phase, operation, step, status, latencyMs, codes, malformed, leaks: leaksIn(text, body?.data, world) });
    return { status, body, codes };
  };
}

/** Another tenant's marker anywhere in the answer, or a global id that decodes to one. */
function leaksIn(text: string, data: unknown, world: TenantWorld): string[] {
  const lower = text.toLowerCase();
  const found = world.foreign.filter((marker) => lower.includes(marker));
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'id' && typeof item === 'string') {
          const parts = fromGlobalId(item)?.parts.map((p) => p.toLowerCase()) ?? [];
          for (const part of parts) if (world.foreign.some((marker) => marker.replaceAll('"', '') === part)) found.push(`global id ${item}`);
        } else walk(item);
      }
    }
  };
  walk(data);
  return found;
}

interface OperationContext {
  call: Call;
  world: TenantWorld;
  tag: string;
  random: () => number;
  log: TrafficLog;
}

const OPERATIONS: Record<OperationName, (context: OperationContext) => Promise<void>> = {
  async graph({ call }) {
    await call(
      'graph',
      `{ entities(first: 2) { totalCount nodes { entityId name parent { entityId } connections(direction: OUTBOUND) { nodes { status target { entityId name } } } externalLinks { provider tenant internal { type id } } } pageInfo { hasNextPage endCursor } } }`,
    );
  },
  async lookup({ call, world, random }) {
    await call('entity', 'query($id: ID!) { entity(id: $id) { entityId name status } }', { id: world.entityIds[Math.floor(random() * world.entityIds.length)] });
  },
  async resolve({ call, world, random }) {
    const customer = world.customers[Math.floor(random() * world.customers.length)]!;
    await call('resolveExternalId', 'query($id: String!) { resolveExternalId(system: "Salesforce", id: $id) { id provider tenant internal { type id } } }', { id: customer.salesforceAccountId });
  },
  async 'page-links'({ call, random }) {
    const provider = random() < 0.5 ? 'M3TER' : 'REVIO';
    let after: string | null = null;
    for (let page = 1; page <= 20; page += 1) {
      const answer = await call(`page ${page}`, 'query($p: Provider, $after: String) { externalLinks(filter: { provider: $p }, first: 100, after: $after) { nodes { id tenant } pageInfo { hasNextPage endCursor } } }', { p: provider, after });
      const info = answer.body?.data?.externalLinks?.pageInfo;
      if (!info?.hasNextPage) return;
      after = info.endCursor;
    }
  },
  async 'm3ter-write'({ call, world, tag, random, log }) {
    const customer = world.customers[Math.floor(random() * world.customers.length)]!;
    const externalId = `006${tag}`;
    const created = await replayed(call, 'createExternalLink', `mutation($i: CreateExternalLinkInput!) { createExternalLink(input: $i) { externalLink { id nativeId version external { id } } } }`, {
      i: { provider: 'M3TER', internalType: 'Account', internalId: customer.m3terAccountId, externalSystem: 'Salesforce', externalTable: 'Opportunity', externalId, clientMutationId: `${tag}-c` },
    });
    const link = created?.createExternalLink?.externalLink;
    if (!link) return void log.unsettled.push({ provider: 'M3TER', tenantIndex: world.index, externalIds: [externalId] });
    const record: AcknowledgedLink = { provider: 'M3TER', tenantIndex: world.index, externalId, nativeId: link.nativeId, deleted: false };
    log.links.push(record);
    const updated = await replayed(call, 'updateExternalLink', `mutation($i: UpdateExternalLinkInput!) { updateExternalLink(input: $i) { externalLink { version external { id } } } }`, {
      i: { id: link.id, expectedVersion: link.version, externalId: `${externalId}u`, clientMutationId: `${tag}-u` },
    });
    if (updated?.updateExternalLink) record.externalId = `${externalId}u`;
    else log.unsettled.push({ provider: 'M3TER', tenantIndex: world.index, externalIds: [externalId, `${externalId}u`] });
    if (random() < 0.5) {
      const deleted = await replayed(call, 'deleteExternalLink', `mutation($i: DeleteExternalLinkInput!) { deleteExternalLink(input: $i) { deletedId } }`, { i: { id: link.id, clientMutationId: `${tag}-d` } }, (codes) => {
        record.deleteUnanswered = codes;
      });
      if (deleted?.deleteExternalLink) record.deleted = true;
    }
  },
  async 'revio-write'({ call, world, tag, random, log }) {
    const customer = world.customers[Math.floor(random() * world.customers.length)]!;
    const externalId = `001${tag}`;
    const created = await replayed(call, 'createExternalLink', `mutation($i: CreateExternalLinkInput!) { createExternalLink(input: $i) { externalLink { id nativeId } } }`, {
      i: { provider: 'REVIO', internalType: 'CUSTOMER', internalId: String(customer.revioCustomerId), externalSystem: 'SALESFORCE', externalId, clientMutationId: `${tag}-c` },
    });
    const link = created?.createExternalLink?.externalLink;
    if (!link) return void log.unsettled.push({ provider: 'REVIO', tenantIndex: world.index, externalIds: [externalId] });
    const record: AcknowledgedLink = { provider: 'REVIO', tenantIndex: world.index, externalId, nativeId: link.nativeId, deleted: false };
    log.links.push(record);
    if (random() < 0.5) {
      const deleted = await replayed(call, 'deleteExternalLink', `mutation($i: DeleteExternalLinkInput!) { deleteExternalLink(input: $i) { deletedId } }`, { i: { id: link.id, clientMutationId: `${tag}-d` } }, (codes) => {
        record.deleteUnanswered = codes;
      });
      if (deleted?.deleteExternalLink) record.deleted = true;
    }
  },
  async 'zuora-lifecycle'({ call, world, tag, random, log }) {
    const [source, target] = twoOf(world.entityIds, random);
    const initiated = await replayed(call, 'initiateConnection', `mutation($i: InitiateConnectionInput!) { initiateConnection(input: $i) { connection { id connectionId } } }`, {
      i: { sourceEntityId: source, targetEntityId: target, clientMutationId: `${tag}-i` },
    });
    const connection = initiated?.initiateConnection?.connection;
    // A live connection between the two already exists (another client's): CONFLICT, a business answer.
    if (!connection) return;
    log.connections.push({ tenantIndex: world.index, connectionId: connection.connectionId, sourceEntityId: source });
    const accepted = await replayed(call, 'acceptConnection', `mutation($i: ConnectionTransitionInput!) { acceptConnection(input: $i) { connection { status } } }`, {
      i: { connectionId: connection.id, actingEntityId: target, clientMutationId: `${tag}-a` },
    });
    await replayed(call, accepted ? 'disconnectConnection' : 'denyConnection', `mutation($i: ConnectionTransitionInput!) { ${accepted ? 'disconnectConnection' : 'denyConnection'}(input: $i) { connection { status } } }`, {
      i: { connectionId: connection.id, actingEntityId: accepted ? source : target, clientMutationId: `${tag}-x` },
    });
  },
};

/** One mutation, replayed with the same input (and clientMutationId) on retryable failures; its data, or undefined. */
/** `gaveUp` is told the codes of the last answer when no attempt succeeded. */
async function replayed(call: Call, step: string, query: string, variables: Record<string, unknown>, gaveUp?: (codes: string[]) => void): Promise<any> {
  let codes: string[] = [];
  for (let attempt = 1; attempt <= MAX_REPLAYS; attempt += 1) {
    const answer = await call(attempt === 1 ? step : `${step} (replay)`, query, variables);
    const data = answer.body?.data;
    if (answer.codes.length === 0 && data) return data;
    codes = answer.codes;
    if (!answer.codes.some((code) => RETRYABLE.has(code))) break;
    const retryAfterMs = answer.body?.errors?.map((e) => e.extensions?.upstream?.retryAfterMs ?? e.extensions?.retryAfterMs).find((ms) => typeof ms === 'number');
    await sleep(Math.min(retryAfterMs ?? 250 * attempt, 5_000));
  }
  gaveUp?.(codes);
  return undefined;
}

function pick(random: () => number): OperationName {
  const total = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [name, weight] of WEIGHTS) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return 'lookup';
}

function twoOf<T>(items: readonly T[], random: () => number): [T, T] {
  const first = Math.floor(random() * items.length);
  const second = (first + 1 + Math.floor(random() * (items.length - 1))) % items.length;
  return [items[first]!, items[second]!];
}

/** A small seeded generator (mulberry32): the same run picks the same operations. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
