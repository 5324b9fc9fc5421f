import { createRng } from '../core/rng.js';
import type { M3terConfigurationRecord, M3terOrgFixture } from '../fixtures/types.js';
import { MappingStore } from './mapping-store.js';
import { TokenStore } from './token-store.js';

/** One org as the simulator serves it. */
export interface OrgState {
  readonly orgId: string;
  readonly configuration: M3terConfigurationRecord;
  readonly mappings: MappingStore;
}

/** A service user's access key: it belongs to exactly one org. */
export interface AccessKey {
  readonly orgId: string;
  readonly apiSecret: string;
  /** Written to `createdBy` / `lastModifiedBy` of what the key's tokens create or change. */
  readonly serviceUserId: string;
}

/** Everything the m3ter simulator holds in memory; `reset()` rebuilds it from the seed. */
export class M3terState {
  readonly tokens = new TokenStore();
  private orgs = new Map<string, OrgState>();
  private keys = new Map<string, AccessKey>();

  constructor(private readonly fixtures: { orgs: M3terOrgFixture[] }) {
    this.reset();
  }

  org(orgId: string): OrgState | undefined {
    return this.orgs.get(orgId);
  }

  accessKey(accessKeyId: string): AccessKey | undefined {
    return this.keys.get(accessKeyId);
  }

  reset(): void {
    const orgs = new Map<string, OrgState>();
    const keys = new Map<string, AccessKey>();
    // A clone, so writes never reach the fixtures the next reset starts from.
    for (const org of structuredClone(this.fixtures.orgs)) {
      orgs.set(org.orgId, { orgId: org.orgId, configuration: org.configuration, mappings: new MappingStore(org.mappings) });
      for (const key of org.credentials) {
        keys.set(key.accessKeyId, { orgId: org.orgId, apiSecret: key.apiSecret, serviceUserId: serviceUserIdOf(key.accessKeyId) });
      }
    }
    this.orgs = orgs;
    this.keys = keys;
    this.tokens.clear();
  }
}

/** m3ter audit fields hold user UUIDs; derive a stable one per access key. */
function serviceUserIdOf(accessKeyId: string): string {
  return createRng(`m3ter-service-user:${accessKeyId}`).uuid();
}
