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
 *
 * With `shared` (replicas on Redis) a reload first reads the list another replica stored, and
 * uses it when it is young enough by the same rules; only otherwise does it ask m3ter.
 */
import type { SharedEntry } from '../../shared-state/shared-entry.js';
import type { M3terMappingConfiguration } from './m3ter-types.js';
import { mappingConfigurationFrom } from './mapper.js';

export interface SystemNamesOptions {
  load(requestId: string | undefined): Promise<M3terMappingConfiguration>;
  /** Default 5 minutes. */
  maxAgeMs?: number;
  /** Default 30 s. */
  missRefreshMs?: number;
  /** The org's names as the replicas share them. */
  shared?: SharedEntry<string[]> | undefined;
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

export function createSystemNames({ load, maxAgeMs = 300_000, missRefreshMs = 30_000, shared, now = Date.now }: SystemNamesOptions): SystemNames {
  let current: Promise<Loaded> | undefined;

  /** Another replica's list when younger than `acceptAgeMs`, else m3ter's (then shared). */
  const names = async (requestId: string | undefined, acceptAgeMs: number): Promise<{ at: number; names: readonly string[] }> => {
    const stored = await shared?.read();
    if (stored !== undefined && stored.ageMs < acceptAgeMs) return { at: now() - stored.ageMs, names: stored.value };
    const loaded = mappingConfigurationFrom(await load(requestId)).externalSystems.map((system) => system.name);
    void shared?.write(loaded);
    return { at: now(), names: loaded };
  };

  const reload = (requestId: string | undefined, acceptAgeMs = maxAgeMs): Promise<Loaded> => {
    const loading = names(requestId, acceptAgeMs).then(
      ({ at, names: found }): Loaded => ({ at, byLowerName: new Map(found.map((name) => [name.toLowerCase(), name])) }),
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
        loaded = await reload(requestId, missRefreshMs);
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
