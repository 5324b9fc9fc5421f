/**
 * W2 by hand. Neither provider filters on several external ids at once,
 * so per external system: m3ter one list filtered on the system (200 a page, every page), Rev.io
 * one search on the system (500 a page, every page; an exact `external_id` search when the
 * system has a single id), keeping the wanted ids here, exactly (Salesforce ids differ by case
 * only). Zuora's `GET /v1/entities` answers every linked entity at once, and since a Zuora link's
 * external id is the looked-up id, it runs alongside the link reads instead of after them.
 *
 * Body: `{ lookups: [{ system, id }] }`, system as m3ter spells it (its filter is exact).
 * Answer: `{ data: { l0: [link], l1: … } }`, as the W2 document's aliases.
 */
import type { DirectContext } from './direct-context.js';
import { globalId, listAllMappings, listEntities, searchAllKeyLinks, type ZuoraEntity } from './vendor-reads.js';

export interface Lookup {
  system: string;
  id: string;
}

interface Link {
  id: string;
  provider: 'M3TER' | 'REVIO';
  nativeId: string;
  internal: { type: string; id: string };
  external: { system: string; type: string | null; id: string };
  entity: { entityId: string; name: string | null } | null;
}

const HEX32 = /^[0-9a-f]{32}$/;

export async function linkResolution(context: DirectContext, lookups: readonly Lookup[]): Promise<unknown> {
  const { v, sandbox, catalog, actingEntityId } = context;
  const systems = new Map<string, { name: string; ids: Set<string> }>();
  for (const { system, id } of lookups) {
    const group = systems.get(system.toLowerCase()) ?? { name: system, ids: new Set<string>() };
    group.ids.add(id);
    systems.set(system.toLowerCase(), group);
  }
  const orgId = sandbox.credentials.m3ter.orgId;
  const clientCode = sandbox.credentials.revio.clientCode;

  const m3terLinks = async ({ name, ids }: { name: string; ids: Set<string> }): Promise<Link[]> =>
    (await listAllMappings(v, { externalSystemId: name }))
      .filter((m) => ids.has(m.externalId))
      .map((m) => ({
        id: globalId('ExternalLink', 'M3TER', orgId, m.id),
        provider: 'M3TER',
        nativeId: m.id,
        internal: { type: m.m3terEntity, id: m.m3terId },
        external: { system: m.externalSystem, type: m.externalTable, id: m.externalId },
        entity: null,
      }));
  const revioLinks = async ({ name, ids }: { name: string; ids: Set<string> }): Promise<Link[]> => {
    const systemId = catalog.systemId(name);
    if (systemId === undefined) return [];
    const search: Record<string, string | number> = { integration_system_id: systemId };
    if (ids.size === 1) search.external_id = [...ids][0]!;
    return (await searchAllKeyLinks(v, search))
      .filter((k) => ids.has(k.external_id))
      .map((k) => ({
        id: globalId('ExternalLink', 'REVIO', clientCode, String(k.integration_key_link_id)),
        provider: 'REVIO',
        nativeId: String(k.integration_key_link_id),
        internal: { type: catalog.entityTypeName.get(k.integration_entity_type_id) ?? `TYPE#${k.integration_entity_type_id}`, id: String(k.internal_id) },
        external: { system: catalog.systemName.get(k.integration_system_id) ?? `SYSTEM#${k.integration_system_id}`, type: null, id: k.external_id },
        entity: null,
      }));
  };

  const groups = [...systems.values()];
  const [m3ter, revio, entities] = await Promise.all([
    Promise.all(groups.map(m3terLinks)),
    Promise.all(groups.map(revioLinks)),
    systems.has('zuora') ? listEntities(v, actingEntityId) : Promise.resolve([] as ZuoraEntity[]),
  ]);
  const entityById = new Map(entities.map((e) => [e.id.toLowerCase(), { entityId: e.id, name: e.name ?? null }]));
  const byRecord = new Map<string, Link[]>();
  for (const link of [...m3ter.flat(), ...revio.flat()]) {
    const key = `${link.external.system.toLowerCase()}\n${link.external.id}`;
    const id = link.external.id.toLowerCase();
    if (link.external.system.toLowerCase() === 'zuora' && HEX32.test(id)) link.entity = entityById.get(id) ?? null;
    byRecord.set(key, [...(byRecord.get(key) ?? []), link]);
  }
  return Object.fromEntries(lookups.map(({ system, id }, i) => [`l${i}`, byRecord.get(`${system.toLowerCase()}\n${id}`) ?? []]));
}
