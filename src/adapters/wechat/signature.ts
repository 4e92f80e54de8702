/**
 * WeChat's request signatures (CHANNELS.md §5): `signature` is the hex SHA-1 of [token, timestamp, nonce] sorted
 * lexicographically and joined; in safe mode `msg_signature` is the same over [token, timestamp, nonce, Encrypt].
 * Presented signatures are compared in constant time.
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../shared/crypto.js';

/** `sha1(sort(parts).join(''))`, lower-case hex. */
export function wechatSignature(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** True when `presented` (hex, either case) is the signature of `parts`; constant time. */
export function wechatSignatureMatches(presented: string, parts: readonly string[]): boolean {
  return constantTimeEqual(presented.toLowerCase(), wechatSignature(parts));
}
