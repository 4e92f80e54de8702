/**
 * Twilio webhook authenticity (CHANNELS.md §3a): `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, the full URL
 * Twilio called + every POST parameter sorted by name, each name followed by its value)), no separators; a repeated
 * name contributes each of its distinct values, sorted. The URL is rebuilt from configuration (TWILIO_PUBLIC_BASE_URL
 * or PUBLIC_BASE_URL) plus the path and query as received, never from the Host header: proxies change the host.
 * Like twilio-node's `validateRequest`, the URL is also tried with the scheme's default port added or removed, since
 * Twilio signs the URL exactly as it was configured. Compared in constant time; refused before anything is parsed.
 */
import { createHmac } from 'node:crypto';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { constantTimeEqual } from '../../shared/crypto.js';
import { SignatureInvalid } from '../../shared/errors.js';
import { readFormParams, type FormParams } from './form.js';

/** Lower-case, as RawWebhookRequest.headers holds it. */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The signature Twilio sends for a request to `url` with these POST parameters. */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of [...params.keys()].sort()) {
    const values = [...new Set(params.get(name) ?? [])].sort();
    for (const value of values) data += name + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'https:': '443', 'http:': '80' };

/** The URL as given, and with the scheme's default port written out or left out. */
export function candidateUrls(url: string): string[] {
  const candidates = [url];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return candidates;
  }
  const defaultPort = DEFAULT_PORTS[parsed.protocol];
  if (defaultPort === undefined) return candidates;
  const rest = url.slice(`${parsed.protocol}//`.length);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const tail = rest.slice(authority.length);
  const host = authority.endsWith(`:${defaultPort}`) ? authority.slice(0, -(defaultPort.length + 1)) : authority;
  if (authority !== host) candidates.push(`${parsed.protocol}//${host}${tail}`);
  else if (!/:\d+$/.test(authority)) candidates.push(`${parsed.protocol}//${authority}:${defaultPort}${tail}`);
  return candidates;
}

/** `https://sms.bank.example/` + `/webhooks/sms/twilio?x=1` without a doubled slash. */
export function publicUrlOf(publicBaseUrl: string, pathAndQuery: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`;
}

/** Resolves when the request carries Twilio's signature over the public URL and its parameters; SignatureInvalid (401) otherwise. */
export function verifyTwilioRequest(request: RawWebhookRequest, options: { authToken: string; publicBaseUrl: string }): Promise<void> {
  const presented = request.headers[TWILIO_SIGNATURE_HEADER];
  if (presented === undefined || presented === '') {
    return Promise.reject(new SignatureInvalid(`The ${TWILIO_SIGNATURE_HEADER} header is missing.`));
  }
  const params = readFormParams(request.rawBody);
  if (!params) return Promise.reject(new SignatureInvalid('The body is not form-encoded UTF-8 text, so its signature cannot be checked.'));
  const url = publicUrlOf(options.publicBaseUrl, request.path);
  // Every candidate is computed and compared, whichever matches, so the time taken does not say which one did.
  const matches = candidateUrls(url).map((candidate) => constantTimeEqual(presented, twilioSignature(options.authToken, candidate, params)));
  if (!matches.includes(true)) return Promise.reject(new SignatureInvalid(`The ${TWILIO_SIGNATURE_HEADER} header does not match.`));
  return Promise.resolve();
}
