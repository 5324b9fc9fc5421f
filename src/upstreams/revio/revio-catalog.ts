/**
 * A Rev.io client tenant's integration systems and entity types, indexed both ways. Adapters
 * resolve ids by name: only SALESFORCE = 4 and CUSTOMER = 2 come from the
 * vendor, every other id is whatever Rev.io support assigned in that tenant.
 */
import { ConfigError } from '../../errors.js';
import type { IntegrationEntityType, IntegrationSystem } from '../../models.js';
import type { KeyLinkNames } from './mapper.js';

/** The system names the gateway links Rev.io records to (config `revioSystems`). */
export interface RevioSystemNames {
  zuora: string;
  m3ter: string;
}

export interface RevioCatalog {
  systems: readonly IntegrationSystem[];
  entityTypes: readonly IntegrationEntityType[];
  /** id → name, as the mapper takes them. */
  names: KeyLinkNames;
  /** Case-insensitive, as Rev.io's own search is; `undefined` when the tenant has no such name. */
  systemId(name: string): number | undefined;
  entityTypeId(name: string): number | undefined;
  /** Ids of the configured Zuora and m3ter systems in this tenant. */
  linkedSystems: { zuora: number; m3ter: number };
}

export function buildRevioCatalog(
  clientCode: string,
  systems: readonly IntegrationSystem[],
  entityTypes: readonly IntegrationEntityType[],
  systemNames: RevioSystemNames,
): RevioCatalog {
  const systemIds = byName(systems);
  const entityTypeIds = byName(entityTypes);
  const systemId = (name: string) => systemIds.get(name.toUpperCase());
  const issues: string[] = [];
  const linked = (key: keyof RevioSystemNames): number => {
    const id = systemId(systemNames[key]);
    if (id === undefined) {
      const known = systems.map((s) => s.name).join(', ') || 'none';
      issues.push(`revioSystems.${key} is "${systemNames[key]}", but Rev.io client ${clientCode} has no integration system of that name (it has ${known})`);
    }
    return id ?? -1;
  };
  const linkedSystems = { zuora: linked('zuora'), m3ter: linked('m3ter') };
  // Without these ids no Zuora or m3ter link can be read or written: a setup mistake, not a request's.
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    systems,
    entityTypes,
    names: { systems: byId(systems), entityTypes: byId(entityTypes) },
    systemId,
    entityTypeId: (name) => entityTypeIds.get(name.toUpperCase()),
    linkedSystems,
  };
}

function byId(items: readonly { id: number; name: string }[]): ReadonlyMap<number, string> {
  return new Map(items.map((item) => [item.id, item.name]));
}

// Rev.io compares names case-insensitively, so two names cannot differ only by case.
function byName(items: readonly { id: number; name: string }[]): ReadonlyMap<string, number> {
  return new Map(items.map((item) => [item.name.toUpperCase(), item.id]));
}
