/**
 * `config.sharedState`: what replicas on one Redis (`INTERLINK_REDIS_URL`) share beyond the
 * `clientMutationId` records. See src/shared-state/shared-state.ts and the README's "Running
 * several replicas".
 */
import { setting } from '../config/setting.js';
import { integer, type ValueParser } from '../lib/config-values.js';

/** 32 bytes, written as 64 hex digits or base64 (44 characters), kept as hex; masked in messages. */
export const tokenKey: ValueParser<string> = {
  expected: 'a 32-byte key as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)',
  secret: true,
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    const value = raw.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9+/]{43}=?$/.test(value) ? Buffer.from(value, 'base64') : undefined;
    return key?.length === 32 ? key.toString('hex') : undefined;
  },
};

export const SHARED_STATE_SETTINGS = {
  // The local fallback's divisor: with Redis away (or not set), each replica spends its share.
  replicas: setting({
    env: 'INTERLINK_REPLICAS',
    parser: integer(1, 1_000),
    default: 1,
    description:
      'How many replicas serve the same vendor tenants. Without Redis (unset or down) each replica keeps to its share of every vendor limit (the limit divided by this); with Redis they share one budget (see [Running several replicas](#running-several-replicas)).',
  }),
  // No default: without a key tokens stay in each replica, since none is stored in plain text.
  tokenKey: setting({
    env: 'INTERLINK_SHARED_TOKEN_KEY',
    parser: tokenKey,
    shownDefault: 'none (tokens not shared)',
    description: "With `INTERLINK_REDIS_URL`: the AES-256-GCM key replicas encrypt the vendors' OAuth tokens with in Redis, so one replica fetches a tenant's token and the others read it. The same on every replica.",
  }),
};
