/** The web chat adapter against the shared channel-adapter contract (test/support/adapter-contract.ts), with our own frames. */
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { fixturePath, listFixtures } from '../../../test/support/fixtures.js';
import { readFileSync } from 'node:fs';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { systemClock } from '../../shared/clock.js';
import { createWebChatAdapter } from './index.js';
import { issueSessionToken } from './session-token.js';

const SECRET = 'contract-webchat-session-secret-0123456789';
const SESSION = '3b0f5c8e-2d4a-4e6f-9a1b-7c8d9e0f1a2b';
// Far ahead of the contract's receipt time and of today: the contract verifies with the system clock.
const TOKEN = issueSessionToken(SECRET, SESSION, new Date('2099-01-01T00:00:00.000Z'));

function framed(body: Buffer, token: string | null = TOKEN): RawWebhookRequest {
  return {
    method: 'POST',
    path: '/chat/messages',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    rawBody: body,
  };
}

runAdapterContract({
  name: 'webchat',
  createAdapter: () => createWebChatAdapter({ sessionSecret: SECRET, sessionTtlMs: 3_600_000, clock: systemClock, publish: () => Promise.resolve() }),
  validRequests: () =>
    listFixtures('webchat')
      .filter((name) => /^webchat\/webchat-\d+-/.test(name))
      .map((name) => framed(readFileSync(fixturePath(name)))),
  unsign: (request): RawWebhookRequest[] => {
    const foreign = issueSessionToken('some-other-deployment-secret-0123456789', SESSION, new Date('2099-01-01T00:00:00.000Z'));
    const changed = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('0') ? '1' : '0'}`;
    const { authorization: _token, ...withoutToken } = request.headers;
    // An expired token is SESSION_EXPIRED (session-token.test.ts); the contract checks the two common codes.
    return [
      { ...request, headers: withoutToken },
      { ...request, headers: { ...withoutToken, authorization: '' } },
      { ...request, headers: { ...withoutToken, authorization: `Bearer ${changed}` } },
      { ...request, headers: { ...withoutToken, authorization: `Bearer ${foreign}` } },
      { ...request, headers: { ...withoutToken, authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } },
    ];
  },
  signBody: (body) => framed(body),
  extraGarbage: [
    { name: 'a frame without clientMessageId', body: Buffer.from('{"text":"hello"}') },
    { name: 'an empty text', body: Buffer.from('{"clientMessageId":"m1","text":"   "}') },
    { name: 'a text over 4000 characters', body: Buffer.from(JSON.stringify({ clientMessageId: 'm1', text: 'x'.repeat(4001) })) },
    { name: 'a clientMessageId with a colon', body: Buffer.from('{"clientMessageId":"a:b","text":"hello"}') },
    { name: 'an unknown field', body: Buffer.from('{"clientMessageId":"m1","text":"hello","sessionId":"3b0f5c8e-2d4a-4e6f-9a1b-7c8d9e0f1a2b"}') },
    { name: 'a bad locale', body: Buffer.from('{"clientMessageId":"m1","text":"hello","locale":"<script>"}') },
  ],
});
