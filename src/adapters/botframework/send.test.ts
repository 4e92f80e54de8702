import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBotFramework, type FakeBotFramework } from '../../../test/support/fake-bot-framework.js';
import { reply } from '../../../test/support/fake-receiver.js';
import type { OutboundDelivery } from '../../contracts/handling.js';
import { createBotFrameworkAdapter } from './index.js';
import { encodeReplyAddress, type BotFrameworkReplyAddress } from './reply-address.js';
import { isAllowedServiceUrl } from './send.js';

const APP_ID = '5f0e7a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
const PASSWORD = 'bot-password';

describe('Bot Framework sender (CloudAdapter + ConnectorClient)', () => {
  let fake: FakeBotFramework;
  let anonymous: FakeBotFramework;
  beforeAll(async () => {
    fake = await startFakeBotFramework({ client: { appId: APP_ID, appPassword: PASSWORD } });
    anonymous = await startFakeBotFramework();
  });
  afterAll(async () => {
    await Promise.all([fake.close(), anonymous.close()]);
  });
  beforeEach(() => {
    for (const server of [fake, anonymous]) {
      server.connectorRequests.length = 0;
      server.tokenRequests.length = 0;
    }
  });

  const address = (serviceUrl: string, overrides: Partial<BotFrameworkReplyAddress> = {}): BotFrameworkReplyAddress => ({
    v: 1,
    serviceUrl,
    channelId: 'webchat',
    conversationId: 'DXk3|livechat',
    activityId: 'DXk3|0000004',
    bot: { id: 'ombuds-bot', name: 'Ombuds' },
    user: { id: 'dl_customer-42', name: 'Ann' },
    ...overrides,
  });

  const delivery = (replyAddress: string, overrides: Partial<OutboundDelivery> = {}): OutboundDelivery => ({
    messageId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    channel: 'botframework',
    conversationKey: 'webchat:DXk3|livechat',
    replyAddress,
    text: 'Your complaint is registered as CMP-2026-000042.',
    quickReplies: [],
    complaintReference: 'CMP-2026-000042',
    purpose: 'acknowledgement',
    language: 'en',
    attempt: 1,
    ...overrides,
  });

  const authenticated = (password = PASSWORD) =>
    createBotFrameworkAdapter({
      appId: APP_ID,
      appPassword: password,
      openIdMetadataUrl: fake.openIdMetadataUrl,
      tokenEndpoint: fake.tokenEndpoint,
      channelServiceOrigin: fake.url,
      timeoutMs: 2_000,
    }).sender;

  const emulator = (timeoutMs = 2_000) => createBotFrameworkAdapter({ timeoutMs }).sender;

  it('replies in Emulator mode without a token, threaded under the customer Activity, with suggested actions', async () => {
    const sender = emulator();
    expect(sender.channel).toBe('botframework');
    const result = await sender.send(
      delivery(encodeReplyAddress(address(anonymous.url)), { quickReplies: [{ label: 'Card', value: 'credit_card' }, { label: 'Loan', value: 'loan' }] }),
    );
    expect(result).toEqual({ ok: true, vendorMessageId: 'reply-1' });
    const [request] = anonymous.connectorRequests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v3/conversations/DXk3%7Clivechat/activities/DXk3%7C0000004');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.json).toEqual({
      type: 'message',
      text: 'Your complaint is registered as CMP-2026-000042.',
      textFormat: 'plain',
      channelId: 'webchat',
      serviceUrl: anonymous.url,
      from: { id: 'ombuds-bot', name: 'Ombuds' },
      recipient: { id: 'dl_customer-42', name: 'Ann' },
      conversation: { id: 'DXk3|livechat' },
      replyToId: 'DXk3|0000004',
      suggestedActions: {
        to: ['dl_customer-42'],
        actions: [
          { type: 'imBack', title: 'Card', value: 'credit_card' },
          { type: 'imBack', title: 'Loan', value: 'loan' },
        ],
      },
    });
  });

  it('shows typing with a typing Activity threaded under the customer Activity', async () => {
    expect(await emulator().sendTyping(encodeReplyAddress(address(anonymous.url)))).toMatchObject({ ok: true });
    const [request] = anonymous.connectorRequests;
    expect(request?.path).toBe('/v3/conversations/DXk3%7Clivechat/activities/DXk3%7C0000004');
    expect(request?.json).toMatchObject({ type: 'typing', from: { id: 'ombuds-bot' }, recipient: { id: 'dl_customer-42' }, replyToId: 'DXk3|0000004' });
    expect(request?.json).not.toHaveProperty('text');
    expect(await emulator().sendTyping('webchat:DXk3')).toEqual({ ok: false, retryable: false, error: 'not a Bot Framework reply address' });
  });

  it('sends a new Activity when there is nothing to reply to, under a serviceUrl with a trailing slash', async () => {
    const result = await emulator().send(delivery(encodeReplyAddress(address(`${anonymous.url}/`, { activityId: undefined, bot: { id: 'ombuds-bot' } }))));
    expect(result).toMatchObject({ ok: true });
    const [request] = anonymous.connectorRequests;
    expect(request?.path).toBe('/v3/conversations/DXk3%7Clivechat/activities');
    expect(request?.json).not.toHaveProperty('replyToId');
    expect(request?.json).toMatchObject({ from: { id: 'ombuds-bot' }, recipient: { id: 'dl_customer-42', name: 'Ann' } });
    expect(request?.json).not.toHaveProperty('from.name');
  });

  it('gets a token with client credentials, sends it, and reuses it', async () => {
    const sender = authenticated();
    const first = await sender.send(delivery(encodeReplyAddress(address(fake.url))));
    const second = await sender.send(delivery(encodeReplyAddress(address(fake.url))));
    expect(first.ok && second.ok).toBe(true);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(fake.tokenRequests[0]?.rawBody))).toEqual({
      grant_type: 'client_credentials',
      client_id: APP_ID,
      client_secret: PASSWORD,
      scope: 'https://api.botframework.com/.default',
    });
    const token = fake.issuedTokens.at(-1);
    expect(token?.length).toBeGreaterThan(2048);
    expect(fake.connectorRequests.map((request) => request.headers.authorization)).toEqual([`Bearer ${token ?? ''}`, `Bearer ${token ?? ''}`]);
  });

  it('classifies the connector answers', async () => {
    const sender = authenticated();
    const to = delivery(encodeReplyAddress(address(fake.url)));
    fake.scriptConnector(reply.rateLimited(7), reply.serverError(500), reply.serverError(503), reply.status(403, { error: 'bot not in conversation' }), reply.status(404), reply.status(400), reply.drop());
    expect(await sender.send(to)).toEqual({ ok: false, retryable: true, status: 429, error: 'HTTP 429', retryAfterMs: 7000 });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: true, status: 500, error: 'HTTP 500' });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: true, status: 503, error: 'HTTP 503' });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: false, status: 403, error: 'HTTP 403' });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: false, status: 404, error: 'HTTP 404' });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: false, status: 400, error: 'HTTP 400' });
    expect(await sender.send(to)).toMatchObject({ ok: false, retryable: true });
    expect(fake.connectorRequests).toHaveLength(7);
  });

  it('gives up on a connector that hangs, retryably', async () => {
    const sender = emulator(200);
    anonymous.scriptConnector(reply.hang());
    expect(await sender.send(delivery(encodeReplyAddress(address(anonymous.url))))).toEqual({ ok: false, retryable: true, error: 'timed out after 200 ms' });
  });

  it('fails permanently on a 401 and fetches a fresh token for the next attempt', async () => {
    const sender = authenticated();
    const to = delivery(encodeReplyAddress(address(fake.url)));
    expect((await sender.send(to)).ok).toBe(true);
    fake.scriptConnector(reply.status(401, { error: 'token revoked' }));
    expect(await sender.send(to)).toEqual({ ok: false, retryable: false, status: 401, error: 'HTTP 401' });
    expect(await sender.send(to)).toMatchObject({ ok: true });
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('classifies token-endpoint failures and sends nothing without a token', async () => {
    expect(await authenticated('wrong-password').send(delivery(encodeReplyAddress(address(fake.url))))).toEqual({
      ok: false,
      retryable: false,
      status: 401,
      error: 'token endpoint: HTTP 401',
    });
    fake.scriptToken(reply.rateLimited(30), reply.serverError(502), reply.ok({ token_type: 'Bearer' }), reply.drop());
    const sender = authenticated();
    const to = delivery(encodeReplyAddress(address(fake.url)));
    expect(await sender.send(to)).toEqual({ ok: false, retryable: true, status: 429, error: 'token endpoint: HTTP 429', retryAfterMs: 30_000 });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: true, status: 502, error: 'token endpoint: HTTP 502' });
    expect(await sender.send(to)).toEqual({ ok: false, retryable: true, error: 'token endpoint: answer without an access_token' });
    expect(await sender.send(to)).toMatchObject({ ok: false, retryable: true });
    expect(fake.connectorRequests).toHaveLength(0);
  });

  it('refuses reply addresses that are not ours, permanently, without a request', async () => {
    const sender = emulator();
    for (const replyAddress of ['webchat:DXk3', '{"v":2}', '{}', JSON.stringify({ ...address(anonymous.url), serviceUrl: 'ftp://x' })]) {
      expect(await sender.send(delivery(replyAddress))).toEqual({ ok: false, retryable: false, error: 'not a Bot Framework reply address' });
    }
    expect(anonymous.connectorRequests).toHaveLength(0);
  });

  it('reaches only the serviceUrls it may (SSRF)', async () => {
    const signed = { authenticated: true };
    const emulator = { authenticated: false };
    expect(isAllowedServiceUrl('https://smba.trafficmanager.net/amer/', signed)).toBe(true);
    expect(isAllowedServiceUrl('http://smba.trafficmanager.net/amer/', signed)).toBe(false);
    expect(isAllowedServiceUrl('http://127.0.0.1:3978', signed)).toBe(false);
    expect(isAllowedServiceUrl('http://127.0.0.1:3978/', { ...signed, channelServiceOrigin: 'http://127.0.0.1:3978' })).toBe(true);
    expect(isAllowedServiceUrl('http://127.0.0.1:3979/', { ...signed, channelServiceOrigin: 'http://127.0.0.1:3978' })).toBe(false);
    expect(isAllowedServiceUrl('https://user:pass@smba.trafficmanager.net/', signed)).toBe(false);
    expect(isAllowedServiceUrl('not a url', signed)).toBe(false);
    expect(isAllowedServiceUrl('http://localhost:64271', emulator)).toBe(true);
    expect(isAllowedServiceUrl('https://169.254.169.254/latest/meta-data', emulator)).toBe(false);
    expect(isAllowedServiceUrl('http://10.0.0.8/', emulator)).toBe(false);

    const sender = authenticated();
    const result = await sender.send(delivery(encodeReplyAddress(address('http://127.0.0.2:9/'))));
    expect(result).toEqual({ ok: false, retryable: false, error: 'serviceUrl not allowed: http://127.0.0.2:9/' });
    expect(fake.tokenRequests).toHaveLength(0);
  });
});
