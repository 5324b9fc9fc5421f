/**
 * What gateway replicas on one Redis share besides the `clientMutationId` records (those are
 * src/idempotency/redis-idempotency-store.ts): each vendor tenant's budget (shared-budget.ts),
 * OAuth tokens (shared-tokens.ts, only with `INTERLINK_SHARED_TOKEN_KEY`) and the vendor lists
 * the clients cache (shared-entry.ts). Built once per process when `INTERLINK_REDIS_URL` is set
 * and handed to the vendor clients through `createUpstreams`; without it nothing here exists and
 * every process keeps all of it in memory, as before.
 */
import type { TenantLimits } from '../upstreams/tenant-limiter.js';
import type { SharedTokenSlot } from '../upstreams/token-provider.js';
import type { Vendor } from '../upstreams/vendor.js';
import { redisSetupCheck, type RedisSetupWarning } from './redis-setup-warnings.js';
import { RENEW_LEASES, TAKE_SLOT } from './budget-scripts.js';
import { SharedBudget, type BudgetWaitEvent } from './shared-budget.js';
import { CACHE_SCRIPTS, createSharedEntry, type SharedEntry } from './shared-entry.js';
import { createSharedRedis, type SharedPart } from './shared-redis.js';
import { createSharedTokens, TOKEN_SCRIPTS } from './shared-tokens.js';
import { createTokenCipher } from './token-cipher.js';

export interface SharedStateEvents {
  onBudgetWait?: (event: BudgetWaitEvent) => void;
  /** A replica waited for another's token fetch. */
  onLockWait?: (event: { vendor: Vendor; waitMs: number }) => void;
  onRedisError?: (part: SharedPart) => void;
  onCacheRead?: (event: { cache: string; hit: boolean }) => void;
}

export interface SharedStateOptions extends SharedStateEvents {
  redisUrl: string;
  /** `INTERLINK_REPLICAS`: each replica's share while Redis is away. */
  replicas: number;
  /** `INTERLINK_SHARED_TOKEN_KEY` (hex); without it tokens are not shared. */
  tokenKey?: string | undefined;
  /** Per command (default 250 ms); slower counts as Redis being away. */
  commandTimeoutMs?: number;
}

export interface SharedState {
  readonly replicas: number;
  /** Whether tokens are shared (a token key is configured). */
  readonly sharesTokens: boolean;
  /** The shared budgets of one vendor's tenants, for its TenantLimiter. */
  budgets(vendor: Vendor, limits: TenantLimits): (tenant: string) => SharedBudget;
  /** The shared token slot of one credential; `undefined` without a token key. */
  tokens(vendor: Vendor, credentialId: string): SharedTokenSlot | undefined;
  entry<T>(cache: string, tenant: string, options: { ttlMs: number; decode(value: unknown): T | undefined }): SharedEntry<T>;
  /** Whether Redis answers commands now (budgets shared rather than local). */
  available(): boolean;
  /** Resolves once Redis is connected, or after `timeoutMs` regardless. */
  connected(timeoutMs: number): Promise<boolean>;
  ping(): Promise<boolean>;
  /** What in the Redis setup breaks a promise silently (redis-setup-warnings.ts). */
  setupWarnings(): Promise<RedisSetupWarning[]>;
  close(): Promise<void>;
}

export function createSharedState(options: SharedStateOptions): SharedState {
  const shared = createSharedRedis({ url: options.redisUrl, onError: (part) => options.onRedisError?.(part), ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }) });
  const scripts = { interlinkTakeSlot: [TAKE_SLOT, 2], interlinkRenewLeases: [RENEW_LEASES, 1], interlinkTokenUnlock: [TOKEN_SCRIPTS.interlinkTokenUnlock, 1], interlinkTokenDrop: [TOKEN_SCRIPTS.interlinkTokenDrop, 1], interlinkTokenRead: [TOKEN_SCRIPTS.interlinkTokenRead, 1], interlinkCacheWrite: [CACHE_SCRIPTS.interlinkCacheWrite, 1], interlinkCacheRead: [CACHE_SCRIPTS.interlinkCacheRead, 1] } as const;
  for (const [name, [lua, numberOfKeys]] of Object.entries(scripts)) shared.redis.defineCommand(name, { lua, numberOfKeys });
  const cipher = options.tokenKey === undefined ? undefined : createTokenCipher(options.tokenKey);
  const setup = redisSetupCheck(shared.redis, options.tokenKey);
  // One budget per (vendor, tenant) per process, however many clients reach it.
  const budgets = new Map<string, SharedBudget>();

  return {
    replicas: options.replicas,
    sharesTokens: cipher !== undefined,
    budgets: (vendor, limits) => (tenant) => {
      const key = `${vendor}:${tenant}`;
      let budget = budgets.get(key);
      if (budget === undefined) {
        budget = new SharedBudget({ shared, vendor, tenant, limits, replicas: options.replicas, onWait: options.onBudgetWait });
        budgets.set(key, budget);
      }
      return budget;
    },
    tokens: (vendor, credentialId) => (cipher === undefined ? undefined : createSharedTokens({ shared, cipher, vendor, credentialId, onLockWait: options.onLockWait })),
    entry: (cache, tenant, entry) => createSharedEntry(shared, { name: `${cache}:${tenant}`, ...entry, onRead: (hit) => options.onCacheRead?.({ cache, hit }) }),
    available: shared.available,
    connected: shared.connected,
    ping: shared.ping,
    setupWarnings: () => setup.warnings(),
    close: shared.close,
  };
}
