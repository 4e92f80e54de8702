import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeBotFramework, type FakeBotFramework } from '../../../test/support/fake-bot-framework.js';
import { readJsonFixture } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { isOmbudsError } from '../../shared/errors.js';
import { createBotFrameworkAdapter } from './index.js';

const APP_ID = '5f0e7a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
const PASSWORD = 'bot-password';
const RECEIVED = new Date('2026-12-01T08:00:00.000Z');

describe('createBotFrameworkAdapter', () => {
  let fake: FakeBotFramework;
  // The SDK writes every refused token's error (and the public key) to console.error: kept off the test output.
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  beforeAll(async () => {
    fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: PASSWORD } });
  });
  afterAll(async () => {
    consoleError.mockRestore();
    await fake.close();
  });

  const inbound = (authorization: string | undefined): RawWebhookRequest => ({
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json', authorization },
    rawBody: Buffer.from(JSON.stringify({ ...readJsonFixture('botframework/botframework-1.json'), channelId: 'webchat', serviceUrl: fake.url })),
  });

  it('verifies, parses and answers one conversation turn against the fake Bot Framework', async () => {
    const adapter = createBotFrameworkAdapter({
      appId: APP_ID,
      appPassword: PASSWORD,
      openIdMetadataUrl: fake.openIdMetadataUrl,
      tokenEndpoint: fake.tokenEndpoint,
      channelServiceOrigin: fake.url,
      timeoutMs: 2_000,
    });
    expect(adapter.channel).toBe('botframework');
    expect(adapter.capabilities).toEqual({ quickReplies: true, typing: true, maxTextLength: 28_000, deliveryReceipts: false, dialog: true, reachableLater: true });

    const request = inbound(`Bearer ${await fake.mintToken()}`);
    await adapter.verify(request);
    const [result] = adapter.parse(request, RECEIVED);
    if (result?.kind !== 'message') throw new Error('expected a message');
    expect(result.message.conversationKey).toBe('webchat:bbec97a0-ebc9-11ea-bc29-bb90646b4033|livechat');

    const sent = await adapter.sender.send({
      messageId: 'b1e2c3d4-0000-4000-8000-000000000001',
      channel: 'botframework',
      conversationKey: result.message.conversationKey,
      replyAddress: result.message.replyAddress,
      text: 'What happened?',
      quickReplies: [],
      complaintReference: null,
      purpose: 'reply',
      language: 'en',
      attempt: 1,
    });
    expect(sent).toEqual({ ok: true, vendorMessageId: expect.stringMatching(/^reply-\d+$/) as unknown });
    const [reply] = fake.connectorRequests;
    expect(reply?.path).toBe('/v3/conversations/bbec97a0-ebc9-11ea-bc29-bb90646b4033%7Clivechat/activities/bc318fe0-ebc9-11ea-a388-4116bc904efe');
    expect(reply?.headers.authorization).toBe(`Bearer ${fake.issuedTokens[0] ?? 'none'}`);
    expect(reply?.json).toMatchObject({ type: 'message', text: 'What happened?', from: { id: 'db6b23b0-e987-11ea-bc29-bb90646b4033' } });

    const forged: unknown = await adapter.verify(inbound(`Bearer ${await fake.mintToken({ untrustedKey: true })}`)).catch((error: unknown) => error);
    expect(isOmbudsError(forged) && forged.httpStatus).toBe(401);
    const missing: unknown = await adapter.verify(inbound(undefined)).catch((error: unknown) => error);
    expect(isOmbudsError(missing) && missing.httpStatus).toBe(401);
  });

  it('runs without an app id in Emulator mode: nothing verified, loopback replies only', async () => {
    const adapter = createBotFrameworkAdapter({ timeoutMs: 2_000, appId: '  ' });
    await expect(adapter.verify(inbound(undefined))).resolves.toBeUndefined();
    expect(adapter.parse(inbound(undefined), RECEIVED)).toHaveLength(1);
  });

  it('refuses an app id without its password', () => {
    let error: unknown = null;
    try {
      createBotFrameworkAdapter({ appId: APP_ID, timeoutMs: 2_000 });
    } catch (thrown) {
      error = thrown;
    }
    expect(isOmbudsError(error) && error.code).toBe('CONFIG_INVALID');
  });
});
