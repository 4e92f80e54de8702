/**
 * Staff passwords (decision 0014): scrypt from node:crypto, stored as `scrypt$N$r$p$<salt>$<hash>` (base64url salt
 * and hash), N = 2^15 by default with a 16-byte per-user salt. Verification compares in constant time, and
 * {@link verifyDummyPassword} spends the same work when there is no hash to compare with, so the answer's timing
 * does not tell whether a username exists or has a password.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Stored hashes beyond these are refused rather than computed (a tampered row must not freeze the process). */
const MAX_N = 2 ** 20;
const MAX_RP = 16;
const ENCODED = /^scrypt\$(\d{1,8})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

function derive(password: string, salt: Buffer, parameters: ScryptParameters, length: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly N=2^15, r=8, so raise it with headroom.
  const options: ScryptOptions = { N: parameters.N, r: parameters.r, p: parameters.p, maxmem: 256 * parameters.N * parameters.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Why a new password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  const length = Array.from(password.normalize('NFKC')).length;
  if (length < PASSWORD_MIN_LENGTH) return `A password needs at least ${String(PASSWORD_MIN_LENGTH)} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `A password has at most ${String(PASSWORD_MAX_LENGTH)} characters.`;
  if (password.trim() === '') return 'A password cannot be only spaces.';
  return null;
}

export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters, KEY_BYTES);
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const match = ENCODED.exec(encoded);
  if (!match) return null;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > MAX_RP || p < 1 || p > MAX_RP) return null;
  return { parameters: { N, r, p }, salt: Buffer.from(match[4] ?? '', 'base64url'), key: Buffer.from(match[5] ?? '', 'base64url') };
}

/** True when `password` matches the stored hash. A malformed hash never matches (and still costs a dummy verify). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (!stored) {
    await verifyDummyPassword(password);
    return false;
  }
  const key = await derive(password, stored.salt, stored.parameters, stored.key.length);
  return timingSafeEqual(key, stored.key);
}

const DUMMY_SALT = Buffer.alloc(SALT_BYTES, 0x5a);
const DUMMY_KEY = Buffer.alloc(KEY_BYTES);

/** The work of one verification at the default cost, for a username that does not exist or has no password. Always false. */
export async function verifyDummyPassword(password: string): Promise<false> {
  const key = await derive(password, DUMMY_SALT, DEFAULT_SCRYPT, KEY_BYTES);
  timingSafeEqual(key, DUMMY_KEY);
  return false;
}
