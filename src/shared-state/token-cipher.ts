/**
 * How an OAuth token is kept in Redis: AES-256-GCM under a key from config
 * (`INTERLINK_SHARED_TOKEN_KEY`), with a fresh 12-byte IV per token and the Redis key as
 * additional data, so a sealed token moved to another tenant's key does not open. Beside it goes
 * a fingerprint (HMAC-SHA256) that lets a script compare "the token that failed" with the stored
 * one without the token itself. Two subkeys (HKDF) keep the cipher and the MAC apart.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface TokenCipher {
  /** `base64(iv | tag | ciphertext)`. */
  seal(token: string, slot: string): string;
  /** The token, or `undefined` when the text was not sealed for `slot` with this key. */
  open(sealed: string, slot: string): string | undefined;
  fingerprint(token: string): string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `keyHex`: 32 bytes as 64 hex digits (the setting's parsed form). */
export function createTokenCipher(keyHex: string): TokenCipher {
  const key = Buffer.from(keyHex, 'hex');
  if (key.length !== 32) throw new RangeError(`the token key must be 32 bytes, got ${key.length}`);
  const cipherKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'interlink token cipher v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'interlink token fingerprint v1', 32));
  return {
    seal(token, slot) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', cipherKey, iv).setAAD(Buffer.from(slot));
      const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
    },
    open(sealed, slot) {
      const bytes = Buffer.from(sealed, 'base64');
      if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', cipherKey, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(slot));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // Another key (a rotated one) or a tampered value: as if nothing were stored.
        return undefined;
      }
    },
    fingerprint: (token) => createHmac('sha256', macKey).update(token).digest('hex').slice(0, 32),
  };
}
