/**
 * The Redis connection behind the shared vendor budgets, tokens and caches (the idempotency store
 * keeps its own, with its own wait rules). Nothing here queues: while Redis is away a command
 * fails at once and its caller takes its local path (a budget divided by the replica count, a
 * token of its own, a vendor read), so a Redis outage slows nothing down. ioredis keeps
 * reconnecting in the background, and the shared paths come back on their own.
 */
import { Redis } from 'ioredis';

/** The shared parts, as metrics label Redis errors. */
export type SharedPart = 'budget' | 'token' | 'cache';

export interface SharedRedisOptions {
  url: string;
  /** A command slower than this counts as Redis being away (default 250 ms: budgets sit on every vendor call). */
  commandTimeoutMs?: number;
  /** Each failed command, for metrics. */
  onError?: (part: SharedPart) => void;
}

export interface SharedRedis {
  readonly redis: Redis;
  /** Whether commands can go now: false while connecting or reconnecting. */
  available(): boolean;
  /** Runs a command, reporting a failure before passing it on. Fails at once while Redis is away. */
  run<T>(part: SharedPart, command: (redis: Redis) => Promise<T>): Promise<T>;
  /** Resolves once connected, or after `timeoutMs` either way: a replica starts without Redis too. */
  connected(timeoutMs: number): Promise<boolean>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(status: string) {
    super(`Redis is ${status}`);
    this.name = 'RedisUnavailableError';
  }
}

export function createSharedRedis(options: SharedRedisOptions): SharedRedis {
  const redis = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  });
  // Failures surface on the commands; connection events must not crash the process.
  redis.on('error', () => undefined);
  const available = () => redis.status === 'ready';
  return {
    redis,
    available,
    async run(part, command) {
      try {
        if (!available()) throw new RedisUnavailableError(redis.status);
        return await command(redis);
      } catch (error) {
        try {
          options.onError?.(part);
        } catch {
          // A metrics listener must not change the outcome.
        }
        throw error;
      }
    },
    connected: (timeoutMs) =>
      available()
        ? Promise.resolve(true)
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              redis.off('ready', onReady);
              resolve(false);
            }, timeoutMs);
            const onReady = () => {
              clearTimeout(timer);
              resolve(true);
            };
            redis.once('ready', onReady);
          }),
    ping: () => (available() ? redis.ping().then((answer) => answer === 'PONG', () => false) : Promise.resolve(false)),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
