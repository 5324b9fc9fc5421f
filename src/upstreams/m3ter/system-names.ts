/**
 * m3ter's own spelling of the external systems an org maps (`Salesforce`, `Zuora`), kept per
 * process like the Rev.io catalog. m3ter compares system names exactly and case-sensitively while
 * callers (and Rev.io) write `SALESFORCE`, so every link lookup needs the spelling; loading the
 * org's mapping configuration per request cost one m3ter call on every such request, for a list
 * that changes only when an admin edits the org's configuration.
 *
 * Reloaded when older than `maxAgeMs`, and sooner when asked for a name it does not list (a system
 * added since), at most once per `missRefreshMs`. A name the configuration does not list is used
 * as given. A failed load is not kept: the next caller tries again.
 */
import type { M3terMappingConfiguration } from './m3ter-types.js';
import { mappingConfigurationFrom } from './mapper.js';

export interface SystemNamesOptions {
  load(requestId: string | undefined): Promise<M3terMappingConfiguration>;
  /** Default 5 minutes. */
  maxAgeMs?: number;
  /** Default 30 s. */
  missRefreshMs?: number;
  now?: () => number;
}

export interface SystemNames {
  /** m3ter's spelling of `name` (any case), or `name` itself when the org maps no such system. */
  spelling(name: string, requestId?: string): Promise<string>;
  /** The lower-cased names of every system the org maps, as last loaded. */
  known(requestId?: string): Promise<ReadonlySet<string>>;
}

interface Loaded {
  at: number;
  byLowerName: ReadonlyMap<string, string>;
}

export function createSystemNames({ load, maxAgeMs = 300_000, missRefreshMs = 30_000, now = Date.now }: SystemNamesOptions): SystemNames {
  let current: Promise<Loaded> | undefined;

  const reload = (requestId: string | undefined): Promise<Loaded> => {
    const loading = load(requestId).then(
      (configuration): Loaded => {
        const names = mappingConfigurationFrom(configuration).externalSystems.map((system) => system.name);
        return { at: now(), byLowerName: new Map(names.map((name) => [name.toLowerCase(), name])) };
      },
      (error: unknown) => {
        if (current === loading) current = undefined;
        throw error;
      },
    );
    current = loading;
    return loading;
  };

  return {
    async spelling(name, requestId) {
      let loaded = await (current ?? reload(requestId));
      if (now() - loaded.at >= maxAgeMs) loaded = await reload(requestId);
      const wanted = name.toLowerCase();
      let found = loaded.byLowerName.get(wanted);
      if (found === undefined && now() - loaded.at >= missRefreshMs) {
        loaded = await reload(requestId);
        found = loaded.byLowerName.get(wanted);
      }
      return found ?? name;
    },
    async known(requestId) {
      let loaded = await (current ?? reload(requestId));
      if (now() - loaded.at >= maxAgeMs) loaded = await reload(requestId);
      return new Set(loaded.byLowerName.keys());
    },
  };
}
