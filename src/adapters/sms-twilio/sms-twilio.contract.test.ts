/** The Twilio SMS adapter against the shared channel-adapter contract (test/support/adapter-contract.ts). */
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { signTwilio, twilioFixtureBodies } from '../../../test/support/fake-twilio.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { createTwilioSmsAdapter } from './index.js';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const BASE_URL = 'https://sms.bank.example';
const PATH = '/webhooks/sms/twilio';

function signed(body: Buffer | string): RawWebhookRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return {
    method: 'POST',
    path: PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(AUTH_TOKEN, `${BASE_URL}${PATH}`, rawBody.toString('utf8')) },
    rawBody,
  };
}

runAdapterContract({
  name: 'sms_twilio',
  createAdapter: () =>
    createTwilioSmsAdapter({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: AUTH_TOKEN, publicBaseUrl: BASE_URL, apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000 }),
  validRequests: () => twilioFixtureBodies().map((fixture) => signed(fixture.body)),
  unsign: (request): RawWebhookRequest[] => {
    const { 'x-twilio-signature': signature = '', ...withoutSignature } = request.headers;
    const tampered = Buffer.from(request.rawBody);
    // One byte of the body changed: a different parameter value.
    const at = tampered.indexOf('=') + 1;
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    return [
      { ...request, headers: withoutSignature },
      { ...request, headers: { ...withoutSignature, 'x-twilio-signature': '' } },
      { ...request, headers: { ...withoutSignature, 'x-twilio-signature': `${signature.slice(0, -2)}A=` } },
      { ...request, rawBody: tampered },
      // Signed for another URL (a proxy's host): refused, since the public URL is configuration.
      { ...request, headers: { ...withoutSignature, 'x-twilio-signature': signTwilio(AUTH_TOKEN, `http://10.0.0.5:3000${PATH}`, request.rawBody.toString('utf8')) } },
    ];
  },
  signBody: (body) => signed(body),
  extraGarbage: [
    { name: 'a form without MessageSid', body: Buffer.from('AccountSid=AC1&From=%2B14155550100&To=%2B14155550101&Body=hi') },
    { name: 'a form without AccountSid', body: Buffer.from('MessageSid=SM123&From=%2B14155550100&To=%2B14155550101&Body=hi') },
    { name: 'a JSON body', body: Buffer.from('{"MessageSid":"SM123","AccountSid":"AC1","Body":"hi"}') },
    { name: 'a sid with punctuation', body: Buffer.from('MessageSid=SM%3Cscript%3E&AccountSid=AC1&Body=hi') },
  ],
});
