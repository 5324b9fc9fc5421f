import { createHash } from 'node:crypto';

/**
 * The stored form of an API key: `sha256:<64 hex>`.
 *
 * A plain SHA-256 is right here, unlike for passwords. Slow hashes (scrypt, argon2) exist to make
 * guessing low-entropy human secrets expensive after a leak; our keys are long random tokens
 * (`developmentApiKey` makes 256-bit ones, and operators are told to), which no amount of
 * guessing recovers from the hash. A slow hash would only cost CPU on every request. The hash is
 * compared in constant time (`authenticateCaller`) all the same.
 *
 *   node -e "console.log('sha256:' + require('crypto').createHash('sha256').update(process.argv[1]).digest('hex'))" "$KEY"
 */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
