/** The Vonage SMS adapter against the shared channel-adapter contract (test/support/adapter-contract.ts). */
import { readFileSync } from 'node:fs';
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { signVonage } from '../../../test/support/fake-vonage.js';
import { fixturePath, listFixtures } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { createVonageSmsAdapter } from './index.js';

const SECRET = 'contract-signature-secret-0123456789';

function requestOf(body: Buffer | string): RawWebhookRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return { method: 'POST', path: '/webhooks/sms/vonage', headers: { 'content-type': 'application/json' }, rawBody };
}

/**
 * A fixture signed with the test secret. The fixtures' own signature (where there is one) is by an unknown secret,
 * so `sig` is replaced: the body is the fixture's with that one value changed, every other byte as published.
 */
function signedFixture(relative: string): RawWebhookRequest {
  const text = readFileSync(fixturePath(relative), 'utf8');
  const params = JSON.parse(text) as Record<string, string>;
  const sig = signVonage(params, SECRET, 'sha256').toLowerCase();
  const body = 'sig' in params ? text.replace(/"sig":\s*"[0-9a-f]+"/, `"sig": "${sig}"`) : text.replace(/\s*\}\s*$/, `,\n  "sig": "${sig}"\n}\n`);
  return requestOf(body);
}

runAdapterContract({
  name: 'sms_vonage',
  // The fixtures were signed years ago: the timestamp's age is checked in verify.test.ts, not here.
  createAdapter: () =>
    createVonageSmsAdapter({ signatureSecret: SECRET, signatureMethod: 'sha256', signatureMaxAgeMs: null, apiKey: 'key123', apiSecret: 'api-secret', apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000 }),
  validRequests: () => listFixtures('sms-vonage').map(signedFixture),
  unsign: (request): RawWebhookRequest[] => {
    const text = request.rawBody.toString('utf8');
    const params = JSON.parse(text) as Record<string, string>;
    const { sig: _sig, ...unsigned } = params;
    return [
      requestOf(JSON.stringify(unsigned)),
      requestOf(JSON.stringify({ ...params, sig: signVonage(params, 'another-secret-0123456789', 'sha256') })),
      // One byte of the text changed.
      requestOf(text.replace(/"text":\s*"(.)/, (_match, first: string) => `"text": "${String.fromCharCode(first.charCodeAt(0) ^ 1)}`)),
      requestOf(JSON.stringify({ ...params, sig: signVonage(params, SECRET, 'md5hash') })),
    ];
  },
  signBody: (body) => {
    // Garbage is signed when it can be read as parameters; otherwise it goes unsigned (and must still be refused).
    let params: unknown;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      params = undefined;
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params) || Object.values(params).some((value) => typeof value !== 'string')) return requestOf(body);
    const flat = params as Record<string, string>;
    return requestOf(JSON.stringify({ ...flat, sig: signVonage(flat, SECRET, 'sha256') }));
  },
  extraGarbage: [
    { name: 'parameters without messageId', body: Buffer.from('{"msisdn":"447700900123","to":"447700900999","text":"hi"}') },
    { name: 'a messageId that is not an id', body: Buffer.from('{"messageId":"../../etc","text":"hi"}') },
    { name: 'nested JSON', body: Buffer.from('{"messageId":"0A1","text":{"a":"b"}}') },
  ],
});
