/**
 * The Lua behind a shared vendor budget (shared-budget.ts). One script takes a call's slot
 * atomically across replicas: a concurrency lease (a sorted set of lease ids scored by expiry,
 * so a dead replica's leases lapse on their own) and a rate token (GCRA: one "theoretical
 * arrival time" per tenant, in µs, so the key is a single number and there is no window edge
 * to burst across). Both or neither: a call that finds the tenant full takes no rate token.
 * Times come from the Redis server's clock (`TIME`), not the replicas', which may disagree.
 */

const NOW = `
local t = redis.call('TIME')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nowMs = math.floor(nowUs / 1000)
`;

/**
 * KEYS: rate (TAT), leases. ARGV: lease id, emission interval µs (0: no rate cap), burst
 * tolerance µs, concurrency, lease ms, force ('1': record a call this replica starts on its local
 * share anyway, so the replicas on the shared budget leave room for it). Returns {1, 0} when
 * taken, {0, ms to wait} when the rate says wait, {0, -1} when every lease is held (no way to
 * know when one frees: poll).
 */
export const TAKE_SLOT = `${NOW}
local concurrency = tonumber(ARGV[4])
local leaseMs = tonumber(ARGV[5])
local force = ARGV[6] == '1'
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nowMs)
if not force and redis.call('ZCARD', KEYS[2]) >= concurrency then return { 0, -1 } end
local emission = tonumber(ARGV[2])
if emission > 0 then
  local tat = tonumber(redis.call('GET', KEYS[1]) or nowUs)
  if tat < nowUs then tat = nowUs end
  local allowAt = tat - tonumber(ARGV[3])
  if not force and allowAt > nowUs then return { 0, math.ceil((allowAt - nowUs) / 1000) } end
  local nextTat = tat + emission
  -- %.0f: tostring would print 1.7e+15 and lose the microseconds.
  redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - nowUs) / 1000) + 1000)
end
redis.call('ZADD', KEYS[2], nowMs + leaseMs, ARGV[1])
redis.call('PEXPIRE', KEYS[2], leaseMs * 2)
return { 1, 0 }
`;

/** KEYS: leases. ARGV: lease ms, then the ids to extend (only those still held: XX). */
export const RENEW_LEASES = `${NOW}
local leaseMs = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', nowMs + leaseMs, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], leaseMs * 2)
return 1
`;

export interface BudgetCommands {
  interlinkTakeSlot(rateKey: string, leasesKey: string, leaseId: string, emissionUs: number, toleranceUs: number, concurrency: number, leaseMs: number, force: '0' | '1'): Promise<[number, number]>;
  interlinkRenewLeases(leasesKey: string, leaseMs: number, ...leaseIds: string[]): Promise<number>;
}
