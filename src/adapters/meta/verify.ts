/**
 * Meta webhook authenticity (CHANNELS.md §4), for WhatsApp and Messenger alike. Every POST carries
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`. It is computed over
 * the exact bytes received and before anything is parsed: Meta escapes non-ASCII as `\uXXXX`, so a body parsed and
 * serialised again no longer matches. The legacy SHA-1 `X-Hub-Signature` is ignored.
 */
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { constantTimeEqual, hmacSha256Hex } from '../../shared/crypto.js';
import { ConfigInvalid, SignatureInvalid } from '../../shared/errors.js';

/** Lower-case, as RawWebhookRequest.headers holds it. */
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=` and 64 hex digits: 71 characters. */
const SIGNATURE_PATTERN = /^sha256=([0-9a-fA-F]{64})$/;

/** The header value Meta would send for `body` (tests and the fake sign with it). */
export function metaSignature(body: Buffer | string, appSecret: string): string {
  return `sha256=${hmacSha256Hex(appSecret, body)}`;
}

/** Throws ConfigInvalid on an empty app secret (it would make every signature trivially forgeable). */
export function assertMetaAppSecret(appSecret: string): void {
  if (appSecret.length === 0) {
    throw new ConfigInvalid('The Meta app secret must not be empty.', [{ path: 'appSecret', message: 'expected the app secret from the Meta app dashboard' }]);
  }
}

/** Resolves when the body is signed with the app secret; throws SignatureInvalid (401) otherwise. */
export function verifyMetaRequest(request: RawWebhookRequest, appSecret: string): Promise<void> {
  const presented = request.headers[META_SIGNATURE_HEADER];
  if (presented === undefined || presented === '') {
    return Promise.reject(new SignatureInvalid(`The ${META_SIGNATURE_HEADER} header is missing.`));
  }
  const match = SIGNATURE_PATTERN.exec(presented.trim());
  if (!match?.[1]) {
    return Promise.reject(new SignatureInvalid(`The ${META_SIGNATURE_HEADER} header is not "sha256=" and 64 hex digits.`));
  }
  const expected = hmacSha256Hex(appSecret, request.rawBody);
  if (!constantTimeEqual(match[1].toLowerCase(), expected)) {
    return Promise.reject(new SignatureInvalid(`The ${META_SIGNATURE_HEADER} signature does not match the body.`));
  }
  return Promise.resolve();
}
