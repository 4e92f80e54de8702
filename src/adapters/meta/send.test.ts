/**
 * Tests for send.ts, graph-api.ts and the request builders, against the local fake of the Graph API
 * (test/support/fake-meta.ts): what each product is sent (text, reply buttons, lists, quick replies, typing, long
 * text split), to which recipient field and with which token, and how Graph's answers become SendResults (rate
 * limits and 5xx retried with Retry-After, the 24-hour window and other errors permanent, timeouts retried).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metaAnswer, startFakeMeta, type FakeMeta } from '../../../test/support/fake-meta.js';
import type { OutboundDelivery, QuickReply } from '../../contracts/handling.js';
import { createMetaAdapter, type MetaAdapter } from './index.js';

const ACCESS_TOKEN = 'EAAG-system-user-token-0123456789';
const PAGE_TOKEN = 'EAAG-page-token-9876543210';

function delivery(replyAddress: string, text: string, quickReplies: QuickReply[] = [], overrides: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return {
    messageId: '00000000-0000-4000-8000-000000000001',
    channel: replyAddress.split(':')[0] ?? 'whatsapp',
    conversationKey: 'c',
    replyAddress,
    text,
    quickReplies,
    complaintReference: null,
    purpose: 'dialog',
    language: 'en',
    attempt: 1,
    ...overrides,
  };
}

const WA = 'whatsapp:1234567890:447700900123';
const FB = 'messenger:1234567890:5678';
const OPTIONS = (count: number, label = (index: number) => `Option ${String(index)}`): QuickReply[] =>
  Array.from({ length: count }, (_unused, index) => ({ label: label(index), value: `value:${String(index)}` }));

describe('Meta senders against the fake Graph API', () => {
  let fake: FakeMeta;
  let meta: MetaAdapter;

  beforeAll(async () => {
    fake = await startFakeMeta({ accessToken: ACCESS_TOKEN, pageAccessToken: PAGE_TOKEN });
    meta = createMetaAdapter({ appSecret: 'secret-0123456789', verifyToken: 'verify-token', accessToken: ACCESS_TOKEN, pageAccessToken: PAGE_TOKEN, graphApiRoot: fake.apiRoot, graphApiVersion: 'v21.0', timeoutMs: 1500 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  describe('WhatsApp', () => {
    it('sends text from the business number the customer wrote to, with the system-user token, and keeps the wamid', async () => {
      const result = await meta.whatsapp.sender.send(delivery(WA, 'Hello, how can we help?'));
      expect(result).toEqual({ ok: true, vendorMessageId: 'wamid.FAKE00000001' });
      const [call] = fake.callsOf('whatsapp');
      expect(call).toMatchObject({ version: 'v21.0', phoneNumberId: '1234567890', token: ACCESS_TOKEN });
      expect(call?.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '447700900123', type: 'text', text: { body: 'Hello, how can we help?', preview_url: false } });
      expect(call?.headers['content-type']).toBe('application/json');
      expect(fake.calls.every((recorded) => !recorded.path.includes(ACCESS_TOKEN))).toBe(true);
    });

    it('addresses a customer known only by a business-scoped user id as `recipient`', async () => {
      expect((await meta.whatsapp.sender.send(delivery('whatsapp:1234567890:US.1234', 'Hi'))).ok).toBe(true);
      const body = fake.callsOf('whatsapp')[0]?.body;
      expect(body?.recipient).toBe('US.1234');
      expect(body?.to).toBeUndefined();
    });

    it('offers up to three quick replies as reply buttons, titles cut to 20 characters, ids the values', async () => {
      const quickReplies = [
        { label: 'Today', value: 'date:today' },
        { label: 'Yesterday', value: 'date:yesterday' },
        { label: 'Skip this question please', value: 'skip' },
      ];
      expect((await meta.whatsapp.sender.send(delivery(WA, 'When did this happen?', quickReplies))).ok).toBe(true);
      const interactive = fake.callsOf('whatsapp')[0]?.body.interactive as { type: string; body: { text: string }; action: { buttons: { reply: { id: string; title: string } }[] } };
      expect(interactive.type).toBe('button');
      expect(interactive.body.text).toBe('When did this happen?');
      expect(interactive.action.buttons.map((button) => button.reply)).toEqual([
        { id: 'date:today', title: 'Today' },
        { id: 'date:yesterday', title: 'Yesterday' },
        { id: 'skip', title: 'Skip this question …' },
      ]);
    });

    it('offers more quick replies as a list (rows cut to 24 characters, the whole label as description), in the customer\'s language', async () => {
      const quickReplies = OPTIONS(7, (index) => (index === 1 ? 'Current or savings account' : `产品 ${String(index)}`));
      expect((await meta.whatsapp.sender.send(delivery(WA, '是哪一种产品或服务？', quickReplies, { language: 'zh' }))).ok).toBe(true);
      const interactive = fake.callsOf('whatsapp')[0]?.body.interactive as { type: string; action: { button: string; sections: { rows: { id: string; title: string; description?: string }[] }[] } };
      expect(interactive.type).toBe('list');
      expect(interactive.action.button).toBe('请选择');
      const rows = interactive.action.sections[0]?.rows ?? [];
      expect(rows.map((row) => row.id)).toEqual(quickReplies.map((quickReply) => quickReply.value));
      expect(rows[1]).toEqual({ id: 'value:1', title: 'Current or savings acco…', description: 'Current or savings account' });
    });

    it('lists at most ten rows and writes the other options into the body', async () => {
      expect((await meta.whatsapp.sender.send(delivery(WA, 'Choose one', OPTIONS(12)))).ok).toBe(true);
      const interactive = fake.callsOf('whatsapp')[0]?.body.interactive as { body: { text: string }; action: { sections: { rows: unknown[] }[] } };
      expect(interactive.action.sections[0]?.rows).toHaveLength(10);
      expect(interactive.body.text).toBe('Choose one\n• Option 10\n• Option 11');
    });

    it('splits long text, the buttons riding on a last part that fits their 1024-character body', async () => {
      const text = `${'a'.repeat(4000)}\n${'b'.repeat(1500)}`;
      const result = await meta.whatsapp.sender.send(delivery(WA, text, OPTIONS(2)));
      expect(result.ok).toBe(true);
      const calls = fake.callsOf('whatsapp');
      expect(calls.map((call) => call.body.type)).toEqual(['text', 'text', 'interactive']);
      expect((calls[0]?.body.text as { body: string }).body).toBe('a'.repeat(4000));
      expect(result).toEqual({ ok: true, vendorMessageId: expect.stringMatching(/^wamid\.FAKE/) as string });
    });

    it('refuses an empty text and a foreign reply address without calling Meta', async () => {
      expect(await meta.whatsapp.sender.send(delivery(WA, '  '))).toMatchObject({ ok: false, retryable: false });
      expect(await meta.whatsapp.sender.send(delivery(FB, 'hi'))).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('not a whatsapp reply address') as string });
      expect(await meta.whatsapp.sender.send(delivery('12345', 'hi'))).toMatchObject({ ok: false, retryable: false });
      expect(fake.calls).toHaveLength(0);
    });

    it('fails for good outside the 24-hour window (131047), and says why', async () => {
      fake.script('whatsapp', metaAnswer.reEngagement());
      const result = await meta.whatsapp.sender.send(delivery(WA, 'Your final response is ready.'));
      expect(result).toMatchObject({ ok: false, retryable: false, status: 400 });
      expect(!result.ok && result.error).toMatch(/24-hour customer-service window.*131047/);
    });

    it.each([
      ['the throughput limit (130429)', metaAnswer.throughputLimit()],
      ['the account rate limit (80007)', metaAnswer.graphError(80007, 'Rate limit issues')],
      ['the app rate limit (4)', metaAnswer.graphError(4, '(#4) Application request limit reached')],
      ['the pair rate limit (131056)', metaAnswer.graphError(131056, 'Pair rate limit hit')],
      ['a 500 with a Graph error', metaAnswer.serverError(500)],
      ['an HTML gateway page', metaAnswer.badGatewayHtml()],
    ])('retries %s', async (_name, answer) => {
      fake.script('whatsapp', answer);
      expect(await meta.whatsapp.sender.send(delivery(WA, 'hello'))).toMatchObject({ ok: false, retryable: true });
    });

    it('honours Retry-After on a 429', async () => {
      fake.script('whatsapp', metaAnswer.tooManyRequests(7));
      expect(await meta.whatsapp.sender.send(delivery(WA, 'hello'))).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 7000 });
    });

    it('fails for good on other Graph errors (invalid parameter, recipient not allowed), naming the code', async () => {
      fake.script('whatsapp', metaAnswer.graphError(131030, 'Recipient phone number not in allowed list'));
      const result = await meta.whatsapp.sender.send(delivery(WA, 'hello'));
      expect(result).toMatchObject({ ok: false, retryable: false, status: 400 });
      expect(!result.ok && result.error).toContain('error 131030: Recipient phone number not in allowed list');
    });

    it('retries a timeout and a dropped connection', async () => {
      fake.script('whatsapp', metaAnswer.hang());
      expect(await meta.whatsapp.sender.send(delivery(WA, 'hello'))).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/timed out/) as string });
      fake.script('whatsapp', metaAnswer.drop());
      expect(await meta.whatsapp.sender.send(delivery(WA, 'hello'))).toMatchObject({ ok: false, retryable: true });
    });

    it('names the part of a split reply that failed', async () => {
      fake.script('whatsapp', metaAnswer.normal(), metaAnswer.serverError(503));
      const result = await meta.whatsapp.sender.send(delivery(WA, `${'x'.repeat(4096)} tail`));
      expect(result).toMatchObject({ ok: false, retryable: true });
      expect(!result.ok && result.error).toMatch(/^part 2 of 2: /);
    });

    it('has no typing indicator, and says so without calling Meta', async () => {
      expect(await meta.whatsapp.sender.sendTyping(WA)).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('no typing indicator') as string });
      expect(fake.calls).toHaveLength(0);
    });
  });

  describe('Messenger', () => {
    it('sends a RESPONSE with quick replies to the PSID, with the page token', async () => {
      const result = await meta.messenger.sender.send(delivery(FB, 'Is this correct?', [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }]));
      expect(result).toMatchObject({ ok: true, vendorMessageId: expect.stringMatching(/^m_FAKE/) as string });
      const [call] = fake.callsOf('messenger');
      expect(call).toMatchObject({ path: 'me/messages', token: PAGE_TOKEN });
      expect(call?.body).toEqual({
        recipient: { id: '5678' },
        messaging_type: 'RESPONSE',
        message: { text: 'Is this correct?', quick_replies: [{ content_type: 'text', title: 'Yes', payload: 'yes' }, { content_type: 'text', title: 'No', payload: 'no' }] },
      });
    });

    it('splits at 2000 characters, quick replies on the last part only, at most 13 of them', async () => {
      expect((await meta.messenger.sender.send(delivery(FB, `${'a'.repeat(1990)} ${'b'.repeat(100)}`, OPTIONS(15)))).ok).toBe(true);
      const bodies = fake.callsOf('messenger').map((call) => call.body.message as { text: string; quick_replies?: unknown[] });
      expect(bodies).toHaveLength(2);
      expect(bodies[0]?.quick_replies).toBeUndefined();
      expect(bodies[1]?.quick_replies).toHaveLength(13);
      expect(bodies[1]?.text).toBe(`${'b'.repeat(100)}\n• Option 13\n• Option 14`);
    });

    it('shows typing with sender_action typing_on', async () => {
      expect(await meta.messenger.sender.sendTyping(FB)).toEqual({ ok: true });
      expect(fake.callsOf('messenger')[0]?.body).toEqual({ recipient: { id: '5678' }, sender_action: 'typing_on' });
    });

    it('fails for good outside the window (10 / 2018278), and says why', async () => {
      fake.script('messenger', metaAnswer.messengerWindowClosed());
      const result = await meta.messenger.sender.send(delivery(FB, 'Your final response'));
      expect(result).toMatchObject({ ok: false, retryable: false });
      expect(!result.ok && result.error).toMatch(/outside the 24-hour window.*error 10\/2018278/);
    });

    it('retries a temporary send failure (1200) and fails for good on a bad token (190), never echoing the token', async () => {
      fake.script('messenger', metaAnswer.graphError(1200, 'Temporary send message failure. Please try again later'));
      expect(await meta.messenger.sender.send(delivery(FB, 'hello'))).toMatchObject({ ok: false, retryable: true });
      const wrongToken = createMetaAdapter({ appSecret: 'secret-0123456789', verifyToken: 'verify-token', accessToken: 'EAAG-wrong', graphApiRoot: fake.apiRoot, timeoutMs: 1500 });
      const refused = await wrongToken.messenger.sender.send(delivery(FB, 'hello'));
      expect(refused).toMatchObject({ ok: false, retryable: false, status: 401 });
      expect(!refused.ok && refused.error).toContain('error 190');
      expect(!refused.ok && refused.error).not.toContain('EAAG-wrong');
    });
  });

  describe('the webhook adapter', () => {
    it('shows typing on Messenger, not on WhatsApp, and sends to the product the address names', async () => {
      expect(await meta.sender.sendTyping(FB)).toEqual({ ok: true });
      expect((await meta.sender.sendTyping(WA)).ok).toBe(false);
      expect((await meta.sender.send(delivery(WA, 'to WhatsApp'))).ok).toBe(true);
      expect((await meta.sender.send(delivery(FB, 'to Messenger'))).ok).toBe(true);
      expect(fake.calls.map((call) => call.product)).toEqual(['messenger', 'whatsapp', 'messenger']);
      expect(await meta.sender.send(delivery('telegram:1:2', 'x'))).toMatchObject({ ok: false, retryable: false });
    });

    it('declares what each product can do', () => {
      expect(meta.channel).toBe('whatsapp');
      expect(meta.capabilities.typing).toBe(true);
      expect(meta.whatsapp.capabilities).toMatchObject({ quickReplies: true, typing: false, deliveryReceipts: true, dialog: true, reachableLater: true, maxTextLength: 4096 });
      expect(meta.messenger.capabilities).toMatchObject({ quickReplies: true, typing: true, deliveryReceipts: false, dialog: true, reachableLater: false, maxTextLength: 2000 });
      expect([meta.whatsapp.sender.channel, meta.messenger.sender.channel]).toEqual(['whatsapp', 'messenger']);
    });

    it('refuses an empty secret, verify token or access token', () => {
      const base = { appSecret: 's', verifyToken: 'v', accessToken: 'a', timeoutMs: 1000 };
      for (const name of ['appSecret', 'verifyToken', 'accessToken'] as const) {
        expect(() => createMetaAdapter({ ...base, [name]: '' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error);
      }
    });
  });
});
