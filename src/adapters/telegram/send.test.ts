import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, telegramAnswer, type FakeTelegram } from '../../../test/support/fake-telegram.js';
import type { OutboundDelivery, SendResult } from '../../contracts/handling.js';
import { createTelegramSender, splitTelegramText } from './send.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function delivery(overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return {
    messageId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    channel: 'telegram',
    conversationKey: '5550001',
    replyAddress: '5550001',
    text: '您的投诉已登记，编号 CMP-2026-000042。',
    quickReplies: [],
    complaintReference: 'CMP-2026-000042',
    purpose: 'acknowledgement',
    language: 'zh',
    attempt: 1,
    ...overrides,
  };
}

function expectNoToken(result: SendResult): void {
  expect(JSON.stringify(result)).not.toContain(TOKEN);
  expect(JSON.stringify(result)).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
}

describe('splitTelegramText', () => {
  it('keeps short text whole and splits long text at line breaks, then spaces, never inside a surrogate pair', () => {
    expect(splitTelegramText('hello', 10)).toEqual(['hello']);
    expect(splitTelegramText('aaaa\nbbbb\ncccc', 10)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(splitTelegramText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitTelegramText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    const emoji = 'abcd😀efgh';
    const parts = splitTelegramText(emoji, 5);
    expect(parts.join('')).toBe(emoji);
    // No part starts with a low surrogate or ends with a high one.
    for (const part of parts) expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(part)).toBe(false);
    const long = 'word '.repeat(2000);
    const split = splitTelegramText(long);
    expect(split.length).toBe(3);
    for (const part of split) expect(part.length).toBeLessThanOrEqual(4096);
  });
});

describe('Telegram sender against the fake Bot API', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  const sender = (timeoutMs = 2_000, token = TOKEN) => createTelegramSender({ botToken: token, apiRoot: fake.apiRoot, timeoutMs });

  it('sends the text to the chat and returns Telegram’s message id', async () => {
    expect(sender().channel).toBe('telegram');
    const result = await sender().send(delivery());
    expect(result).toEqual({ ok: true, vendorMessageId: expect.stringMatching(/^\d+$/) });
    const [call] = fake.calls;
    expect(call).toMatchObject({ httpMethod: 'POST', method: 'sendMessage', token: TOKEN });
    expect(call?.params).toEqual({ chat_id: '5550001', text: '您的投诉已登记，编号 CMP-2026-000042。' });
  });

  it('sends quick replies as an inline keyboard', async () => {
    await sender().send(delivery({ quickReplies: [{ label: '是 Yes', value: 'yes' }, { label: '转人工', value: 'agent' }] }));
    expect(fake.calls[0]?.params.reply_markup).toEqual({
      inline_keyboard: [[{ text: '是 Yes', callback_data: 'yes' }], [{ text: '转人工', callback_data: 'agent' }]],
    });
  });

  it('splits text over 4096 characters and puts the keyboard on the last part only', async () => {
    const text = `${'第一段。'.repeat(1000)}\n${'second part '.repeat(10)}`;
    const result = await sender().send(delivery({ text, quickReplies: [{ label: 'OK', value: 'ok' }] }));
    expect(result.ok).toBe(true);
    const calls = fake.callsOf('sendMessage');
    expect(calls).toHaveLength(2);
    expect(calls.map((call) => call.params.text).join('\n')).toBe(text);
    expect(calls[0]?.params.reply_markup).toBeUndefined();
    expect(calls[1]?.params.reply_markup).toBeDefined();
    expect(result).toMatchObject({ vendorMessageId: expect.any(String) });
  });

  it('shows "typing…" with sendChatAction', async () => {
    expect(await sender().sendTyping('-1001309982000')).toEqual({ ok: true });
    expect(fake.calls[0]).toMatchObject({ method: 'sendChatAction', params: { chat_id: '-1001309982000', action: 'typing' } });
    expect(await sender().sendTyping('not-a-chat')).toMatchObject({ ok: false, retryable: false });
  });

  it('retries a 429 after Telegram’s retry_after', async () => {
    fake.script('sendMessage', telegramAnswer.tooManyRequests(7));
    expect(await sender().send(delivery())).toEqual({
      ok: false,
      retryable: true,
      status: 429,
      retryAfterMs: 7000,
      error: 'Telegram 429: Too Many Requests: retry after 7',
    });
  });

  it('retries server errors, JSON or HTML', async () => {
    fake.script('sendMessage', telegramAnswer.serverError(500), telegramAnswer.badGatewayHtml());
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(await sender().send(delivery())).toMatchObject({ ok: false, retryable: true, status: 502 });
  });

  it('fails at once on 400, on a blocked bot (403) and on a wrong token (401)', async () => {
    fake.script('sendMessage', telegramAnswer.badRequest('Bad Request: chat not found'), telegramAnswer.blocked());
    expect(await sender().send(delivery())).toEqual({ ok: false, retryable: false, status: 400, error: 'Telegram 400: Bad Request: chat not found' });
    expect(await sender().send(delivery())).toEqual({
      ok: false,
      retryable: false,
      status: 403,
      error: 'Telegram 403: Forbidden: bot was blocked by the user',
    });
    const wrongToken = await sender(2_000, '999:wrong-token').send(delivery());
    expect(wrongToken).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(JSON.stringify(wrongToken)).not.toContain('wrong-token');
  });

  it('gives up on a hanging API, retryably', async () => {
    fake.script('sendMessage', telegramAnswer.hang());
    expect(await sender(200).send(delivery())).toEqual({ ok: false, retryable: true, error: 'timed out after 200 ms' });
  });

  it('never puts the bot token in an error, even when the transport quotes the URL', async () => {
    fake.script('sendMessage', telegramAnswer.drop(), telegramAnswer.htmlNotFound());
    const dropped = await sender().send(delivery());
    expect(dropped).toMatchObject({ ok: false, retryable: true });
    expectNoToken(dropped);
    const notJson = await sender().send(delivery());
    expect(notJson).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('<bot-token>') });
    expectNoToken(notJson);
    const plainToken = 'plain-token-without-bot-id';
    const refused = await createTelegramSender({ botToken: plainToken, apiRoot: 'http://127.0.0.1:9', timeoutMs: 1_000 }).send(delivery());
    expect(refused).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(refused)).not.toContain(plainToken);
  });

  it('says which part failed when a split message fails midway', async () => {
    fake.script('sendMessage', telegramAnswer.normal(), telegramAnswer.serverError(500));
    const text = `${'a'.repeat(4000)}\n${'b'.repeat(200)}`;
    const result = await sender().send(delivery({ text }));
    expect(result).toEqual({ ok: false, retryable: true, status: 500, error: 'part 2 of 2: Telegram 500: Internal Server Error' });
    expect(fake.callsOf('sendMessage')).toHaveLength(2);
  });

  it('refuses what Telegram would refuse before calling it', async () => {
    expect(await sender().send(delivery({ replyAddress: '@channel' }))).toMatchObject({ ok: false, retryable: false });
    expect(await sender().send(delivery({ text: '  ' }))).toMatchObject({ ok: false, retryable: false });
    const tooLong = await sender().send(delivery({ quickReplies: [{ label: 'x', value: '选'.repeat(22) }] }));
    expect(tooLong).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/64-byte/) });
    expect(fake.calls).toHaveLength(0);
  });
});
