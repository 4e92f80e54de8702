/**
 * Vonage signed webhooks (CHANNELS.md §3b; Vonage support enables them per account): remove `sig`, sort the
 * parameters by name, build `&name=value…` with `&` and `=` inside values replaced by `_`, then either `md5hash`
 * (MD5 of that string followed by the signature secret) or an HMAC of it keyed with the secret (`md5`, `sha1`,
 * `sha256`, `sha512`). Hex, compared case-insensitively in constant time. The signed `timestamp` must be recent, so
 * a captured request cannot be replayed for ever (a replay within the window is a duplicate, stored once).
 */
import { createHash, createHmac } from 'node:crypto';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { constantTimeEqual } from '../../shared/crypto.js';
import { SignatureInvalid } from '../../shared/errors.js';
import { readVonageParams } from './params.js';

export const VONAGE_SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type VonageSignatureMethod = (typeof VONAGE_SIGNATURE_METHODS)[number];

/**
 * How old a signed request may be. Vonage redelivers for 24 hours while it gets no 2xx, and whether it signs a
 * redelivery afresh is not documented: 25 hours lets every redelivery in.
 */
export const DEFAULT_VONAGE_SIGNATURE_MAX_AGE_MS = 25 * 3_600_000;

/** The string Vonage signs: `&name=value` for every parameter but `sig`, sorted by name. */
export function vonageSignedString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sig')
    .sort()
    .map((name) => `&${name}=${(params[name] ?? '').replace(/[&=]/g, '_')}`)
    .join('');
}

/** The signature Vonage sends with these parameters (lower-case hex). */
export function vonageSignature(params: Readonly<Record<string, string>>, secret: string, method: VonageSignatureMethod): string {
  const signed = vonageSignedString(params);
  if (method === 'md5hash') return createHash('md5').update(signed + secret, 'utf8').digest('hex');
  return createHmac(method, secret).update(signed, 'utf8').digest('hex');
}

export interface VonageVerifyOptions {
  /** VONAGE_SIGNATURE_SECRET. */
  secret: string;
  /** VONAGE_SIGNATURE_METHOD, as set for the account in the dashboard. */
  method: VonageSignatureMethod;
  /** Oldest (and most future) signed `timestamp` accepted; null checks no age. */
  maxAgeMs: number | null;
  now: () => Date;
}

/** Resolves when the parameters carry a fresh, matching `sig`; SignatureInvalid (401) otherwise. */
export function verifyVonageRequest(request: RawWebhookRequest, options: VonageVerifyOptions): Promise<void> {
  const params = readVonageParams(request.rawBody);
  if (!params) return Promise.reject(new SignatureInvalid('The body is not Vonage parameters (JSON or form), so its signature cannot be checked.'));
  const presented = params.sig;
  if (presented === undefined || presented === '') return Promise.reject(new SignatureInvalid('The request is not signed (no sig parameter).'));
  const expected = vonageSignature(params, options.secret, options.method);
  if (!constantTimeEqual(presented.toLowerCase(), expected)) return Promise.reject(new SignatureInvalid('The sig parameter does not match.'));
  if (options.maxAgeMs !== null) {
    const timestamp = Number(params.timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(options.now().getTime() - timestamp * 1000) > options.maxAgeMs) {
      return Promise.reject(new SignatureInvalid('The signed timestamp is missing or too far from now.'));
    }
  }
  return Promise.resolve();
}
