import { describe, expect, it } from 'vitest';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { vonageSignature, verifyVonageRequest, type VonageSignatureMethod } from './verify.js';

// Test vectors from Vonage/vonage-ruby-sdk test/vonage/signature_test.rb (see fixtures/sms-vonage/PROVENANCE.md).
const SECRET = 'my_secret_key_for_testing';
const PARAMS = {
  'message-timestamp': '2013-11-21 15:27:30',
  messageId: '020000001B0FE827',
  msisdn: '14843472194',
  text: 'Test again',
  timestamp: '1385047698',
  to: '13239877404',
  type: 'text',
};
const VECTORS: [VonageSignatureMethod, string][] = [
  ['md5hash', 'd2e7b1dc968737c5998ad624e02f90b7'],
  ['md5', 'DDEBD46008C2D4E93CCE578A332A52D5'],
  ['sha1', '27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A'],
  ['sha256', 'DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330'],
  ['sha512', 'E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82'],
];
const SIGNED_AT = new Date(1_385_047_698_000);

function request(params: Record<string, string>, format: 'json' | 'form' = 'json'): RawWebhookRequest {
  const body = format === 'json' ? JSON.stringify(params) : new URLSearchParams(params).toString();
  return {
    method: 'POST',
    path: '/webhooks/sms/vonage',
    headers: { 'content-type': format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
    rawBody: Buffer.from(body, 'utf8'),
  };
}

const options = (method: VonageSignatureMethod, maxAgeMs: number | null = null, now = SIGNED_AT) => ({ secret: SECRET, method, maxAgeMs, now: () => now });

async function refusal(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('Vonage signature', () => {
  it.each(VECTORS)('computes the %s test vector', (method, expected) => {
    expect(vonageSignature(PARAMS, SECRET, method)).toBe(expected.toLowerCase());
  });

  it('computes the md5hash vector of the Python and Ruby SDKs, and replaces & and = in values by _', () => {
    expect(vonageSignature({ a: '1', b: '2', timestamp: '1461605396' }, 'secret', 'md5hash')).toBe('6af838ef94998832dbfc29020b564830');
    for (const value of ['_', '&', '=']) expect(vonageSignature({ k: value }, SECRET, 'md5hash')).toBe('c3d6a686ab9c7e7408bb1c0506e9629a');
  });

  it.each(VECTORS)('accepts the %s vector as a JSON and as a form webhook (sig in any case)', async (method, sig) => {
    await expect(verifyVonageRequest(request({ ...PARAMS, sig }), options(method))).resolves.toBeUndefined();
    await expect(verifyVonageRequest(request({ ...PARAMS, sig: sig.toLowerCase() }, 'form'), options(method))).resolves.toBeUndefined();
  });

  it.each(VECTORS)('refuses the %s vector with one byte of a value changed, or with another method', async (method, sig) => {
    const tampered = await refusal(verifyVonageRequest(request({ ...PARAMS, text: 'Test agaim', sig }), options(method)));
    expect(tampered).toMatchObject({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
    const otherMethod = method === 'md5hash' ? 'sha256' : 'md5hash';
    expect(await refusal(verifyVonageRequest(request({ ...PARAMS, sig }), options(otherMethod)))).toMatchObject({ httpStatus: 401 });
  });

  it('refuses an unsigned request, a parameter added, and a body it cannot read', async () => {
    const [, sig = ''] = VECTORS[0] ?? [];
    for (const tampered of [request(PARAMS), request({ ...PARAMS, sig: '' }), request({ ...PARAMS, concat: 'true', sig })]) {
      expect(await refusal(verifyVonageRequest(tampered, options('md5hash')))).toMatchObject({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
    }
    const unreadable = { ...request(PARAMS), rawBody: Buffer.from('{"msisdn": {"nested": true}}') };
    expect(await refusal(verifyVonageRequest(unreadable, options('md5hash')))).toMatchObject({ httpStatus: 401 });
  });

  it('refuses a signed timestamp older (or newer) than the allowed age', async () => {
    const [, sig = ''] = VECTORS[0] ?? [];
    const signed = request({ ...PARAMS, sig });
    const hour = 3_600_000;
    await expect(verifyVonageRequest(signed, options('md5hash', 25 * hour, new Date(SIGNED_AT.getTime() + 24 * hour)))).resolves.toBeUndefined();
    expect(await refusal(verifyVonageRequest(signed, options('md5hash', 25 * hour, new Date(SIGNED_AT.getTime() + 26 * hour))))).toMatchObject({ httpStatus: 401 });
    expect(await refusal(verifyVonageRequest(signed, options('md5hash', 25 * hour, new Date(SIGNED_AT.getTime() - 26 * hour))))).toMatchObject({ httpStatus: 401 });
    const { timestamp: _timestamp, ...untimed } = PARAMS;
    const noTimestamp = request({ ...untimed, sig: vonageSignature(untimed, SECRET, 'md5hash') });
    await expect(verifyVonageRequest(noTimestamp, options('md5hash'))).resolves.toBeUndefined();
    expect(await refusal(verifyVonageRequest(noTimestamp, options('md5hash', 25 * hour)))).toMatchObject({ httpStatus: 401 });
  });
});
