/** The Telegram adapter against the shared channel-adapter contract (test/support/adapter-contract.ts). */
import { runAdapterContract } from '../../../test/support/adapter-contract.js';
import { telegramFixtureUpdates, telegramWebhookRequest } from '../../../test/support/fake-telegram.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { createTelegramAdapter } from './index.js';

const SECRET = 'contract-secret_token-1';

runAdapterContract({
  name: 'telegram',
  createAdapter: () => createTelegramAdapter({ secretToken: SECRET, botToken: '123456:contract-bot-token', apiRoot: 'http://127.0.0.1:9', timeoutMs: 1000 }),
  validRequests: () => telegramFixtureUpdates().map((fixture) => telegramWebhookRequest(fixture.body, SECRET)),
  unsign: (request): RawWebhookRequest[] => {
    const { 'x-telegram-bot-api-secret-token': _secret, ...withoutSecret } = request.headers;
    return [
      { ...request, headers: withoutSecret },
      { ...request, headers: { ...withoutSecret, 'x-telegram-bot-api-secret-token': `${SECRET}x` } },
      { ...request, headers: { ...withoutSecret, 'x-telegram-bot-api-secret-token': '' } },
    ];
  },
  signBody: (body) => telegramWebhookRequest(body, SECRET),
  extraGarbage: [
    { name: 'an Update without update_id', body: Buffer.from('{"message":{"message_id":1,"date":1,"chat":{"id":1},"text":"hi"}}') },
    { name: 'a message without chat', body: Buffer.from('{"update_id":1,"message":{"message_id":1,"date":1,"text":"hi"}}') },
    { name: 'a negative update_id', body: Buffer.from('{"update_id":-5}') },
    { name: 'a photo without file_id', body: Buffer.from('{"update_id":2,"message":{"message_id":1,"date":1,"chat":{"id":1},"photo":[{"width":1}]}}') },
  ],
});
