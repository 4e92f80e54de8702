import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { readFormParams } from './form.js';
import { candidateUrls, publicUrlOf, twilioSignature, verifyTwilioRequest } from './verify.js';

// CHANNELS.md §3a: Twilio's documented example, verified against twilio-node's webhooks.ts.
const VECTOR = {
  authToken: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  body: 'CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212',
  signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
};

function request(body: string, signature: string | undefined, path = '/myapp.php?foo=1&bar=2'): RawWebhookRequest {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) },
    rawBody: Buffer.from(body, 'utf8'),
  };
}

async function refusal(promise: Promise<void>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('Twilio signature', () => {
  it('computes the documented test vector', () => {
    const params = readFormParams(Buffer.from(VECTOR.body));
    expect(params).not.toBeNull();
    expect(twilioSignature(VECTOR.authToken, VECTOR.url, params ?? new Map())).toBe(VECTOR.signature);
  });

  it('accepts the vector on the public URL from configuration, whatever host the request came in on', async () => {
    await expect(verifyTwilioRequest(request(VECTOR.body, VECTOR.signature), { authToken: VECTOR.authToken, publicBaseUrl: 'https://mycompany.com' })).resolves.toBeUndefined();
    // A trailing slash on the configured base changes nothing.
    await expect(verifyTwilioRequest(request(VECTOR.body, VECTOR.signature), { authToken: VECTOR.authToken, publicBaseUrl: 'https://mycompany.com/' })).resolves.toBeUndefined();
  });

  it.each([
    ['one byte of the body changed', request(VECTOR.body.replace('Digits=1234', 'Digits=1235'), VECTOR.signature)],
    ['one character of the signature changed', request(VECTOR.body, VECTOR.signature.replace('0/K', '1/K'))],
    ['no signature', request(VECTOR.body, undefined)],
    ['an empty signature', request(VECTOR.body, '')],
    ['another path', request(VECTOR.body, VECTOR.signature, '/myapp.php?foo=1&bar=3')],
    ['a parameter added', request(`${VECTOR.body}&Extra=1`, VECTOR.signature)],
    ['a body that is not UTF-8', { ...request('', VECTOR.signature), rawBody: Buffer.from([0xff, 0xfe, 0x3d]) }],
  ])('refuses %s with 401 SIGNATURE_INVALID', async (_name, tampered) => {
    const error = await refusal(verifyTwilioRequest(tampered, { authToken: VECTOR.authToken, publicBaseUrl: 'https://mycompany.com' }));
    expect(error).toMatchObject({ code: 'SIGNATURE_INVALID', httpStatus: 401 });
  });

  it('refuses the vector with another auth token or another public host', async () => {
    expect(await refusal(verifyTwilioRequest(request(VECTOR.body, VECTOR.signature), { authToken: '54321', publicBaseUrl: 'https://mycompany.com' }))).toMatchObject({ httpStatus: 401 });
    expect(await refusal(verifyTwilioRequest(request(VECTOR.body, VECTOR.signature), { authToken: VECTOR.authToken, publicBaseUrl: 'https://evil.example' }))).toMatchObject({ httpStatus: 401 });
  });

  it('accepts a URL signed with or without the default port, as twilio-node does', async () => {
    const body = 'MessageSid=SM1&AccountSid=AC1&Body=hi';
    const params = readFormParams(Buffer.from(body)) ?? new Map();
    const withPort = twilioSignature(VECTOR.authToken, 'https://sms.bank.example:443/webhooks/sms/twilio', params);
    const withoutPort = twilioSignature(VECTOR.authToken, 'https://sms.bank.example/webhooks/sms/twilio', params);
    const options = { authToken: VECTOR.authToken, publicBaseUrl: 'https://sms.bank.example' };
    await expect(verifyTwilioRequest(request(body, withPort, '/webhooks/sms/twilio'), options)).resolves.toBeUndefined();
    await expect(verifyTwilioRequest(request(body, withoutPort, '/webhooks/sms/twilio'), { ...options, publicBaseUrl: 'https://sms.bank.example:443' })).resolves.toBeUndefined();
    expect(candidateUrls('https://a.example/x?y=1')).toEqual(['https://a.example/x?y=1', 'https://a.example:443/x?y=1']);
    expect(candidateUrls('http://a.example:80/x')).toEqual(['http://a.example:80/x', 'http://a.example/x']);
    expect(candidateUrls('https://a.example:8443/x')).toEqual(['https://a.example:8443/x']);
    expect(publicUrlOf('https://bank.example/ombuds/', '/webhooks/sms/twilio?a=1')).toBe('https://bank.example/ombuds/webhooks/sms/twilio?a=1');
  });

  it('signs every value of a repeated parameter, distinct and sorted', () => {
    const params = readFormParams(Buffer.from('B=2&A=z&A=y&A=z')) ?? new Map();
    expect(twilioSignature('t', 'https://x.example/', params)).toBe(createHmac('sha1', 't').update('https://x.example/AyAzB2').digest('base64'));
  });
});
