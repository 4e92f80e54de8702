/**
 * Signatures on the POSTs Ombuds sends (API-channel callbacks, downstream webhooks), Stripe-style: header
 * `Ombuds-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Receivers recompute the HMAC over the
 * exact bytes, compare in constant time and refuse timestamps outside their tolerance (replays).
 */
import { constantTimeEqual, hmacSha256Hex } from './crypto.js';

export const SIGNATURE_HEADER = 'Ombuds-Signature';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export function signBody(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/** True when `header` signs `body` with `secret` at a time within `toleranceSeconds` of `now`. */
export function verifyBodySignature(
  secret: string,
  body: string,
  header: string | undefined,
  now: Date,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (header === undefined) return false;
  const parts = new Map(header.split(',').map((part) => {
    const index = part.indexOf('=');
    return [part.slice(0, index).trim(), part.slice(index + 1).trim()] as const;
  }));
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isInteger(timestamp) || signature === undefined) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  return constantTimeEqual(signature, hmacSha256Hex(secret, `${timestamp}.${body}`));
}
