/**
 * Hashing, HMAC, constant-time comparison and API-key generation. Node's crypto only.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

export function hmacSha256Hex(secret: string | Buffer, input: string | Buffer): string {
  return createHmac('sha256', secret).update(input).digest('hex');
}

/** Compares two strings in time independent of where they differ (lengths are hashed first so they need not match). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

export interface GeneratedApiKey {
  /** The whole key, shown once: `omb_<kind>_<prefix>_<secret>`. */
  key: string;
  /** The public part used to look the key up. */
  prefix: string;
  /** sha256 of the whole key: what is stored. */
  hash: string;
}

const KEY_PATTERN = /^omb_([a-z]+)_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

/** A random API key. 192 bits of secret, so a fast hash (sha256) is enough to store it. */
export function generateApiKey(kind: 'staff' | 'app'): GeneratedApiKey {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  const secret = randomBytes(24).toString('base64url');
  const key = `omb_${kind}_${prefix}_${secret}`;
  return { key, prefix, hash: sha256Hex(key) };
}

/** Splits a presented key into kind and prefix, or null when it is not shaped like one of ours. */
export function parseApiKey(key: string): { kind: string; prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1], prefix: match[2] };
}
