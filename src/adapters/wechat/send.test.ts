import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWeChat, wechatAnswer, type FakeWeChat } from '../../../test/support/fake-wechat.js';
import type { OutboundDelivery } from '../../contracts/handling.js';
import { fixedClock } from '../../shared/clock.js';
import { createWeChatAccessTokens } from './access-token.js';
import { createWeChatSender, splitWeChatText, withQuickRepliesListed, type WeChatSender } from './send.js';

const APP = { appId: 'wx5555666677778888', appSecret: '11112222333344445555666677778888' };
const OPEN_ID = 'oyORnuP8q7ou2gfYjqLzSIWZf0rs';

function delivery(text: string, extra: Partial<OutboundDelivery> = {}): OutboundDelivery {
  return {
    messageId: '00000000-0000-4000-8000-000000000001',
    channel: 'wechat',
    conversationKey: OPEN_ID,
    replyAddress: OPEN_ID,
    text,
    quickReplies: [],
    complaintReference: null,
    purpose: 'dialog',
    language: 'zh',
    attempt: 1,
    ...extra,
  };
}

describe('splitWeChatText and quick replies as text', () => {
  it('keeps text within 2048 bytes of UTF-8 whole, and splits longer text at line breaks, spaces, or between characters', () => {
    expect(splitWeChatText('短消息')).toEqual(['短消息']);
    const chinese = '投'.repeat(1000);
    const parts = splitWeChatText(chinese);
    expect(parts.map((part) => Buffer.byteLength(part))).toEqual([2046, 954]);
    expect(parts.join('')).toBe(chinese);
    const lines = `${'a'.repeat(1500)}\n${'b'.repeat(1500)}`;
    expect(splitWeChatText(lines)).toEqual(['a'.repeat(1500), 'b'.repeat(1500)]);
    const emoji = '😀'.repeat(600);
    expect(splitWeChatText(emoji).every((part) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(part))).toBe(true);
    expect(splitWeChatText(emoji).join('')).toBe(emoji);
  });

  it('lists quick replies as lines under the text', () => {
    expect(withQuickRepliesListed('您满意吗？', [{ label: '1 非常不满意', value: '1' }, { label: '5 非常满意', value: '5' }])).toBe('您满意吗？\n\n1 非常不满意\n5 非常满意');
    expect(withQuickRepliesListed('text', [])).toBe('text');
  });
});

describe('WeChat sender against the fake customer-service API', () => {
  let fake: FakeWeChat;
  let sender: WeChatSender;
  beforeAll(async () => {
    fake = await startFakeWeChat(APP);
    const clock = fixedClock(new Date('2026-12-01T08:00:00Z'));
    const tokens = createWeChatAccessTokens({ apiRoot: fake.apiRoot, ...APP, timeoutMs: 1000, clock });
    sender = createWeChatSender({ apiRoot: fake.apiRoot, tokens, timeoutMs: 1000, clock });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('sends a text customer-service message to the OpenID with the access token, and "typing"', async () => {
    expect(await sender.send(delivery('您好，请问发生了什么？'))).toEqual({ ok: true });
    const call = fake.callsOf('custom/send').at(-1);
    expect(call?.body).toEqual({ touser: OPEN_ID, msgtype: 'text', text: { content: '您好，请问发生了什么？' } });
    expect(call?.accessToken).toMatch(/^fake-access-token-/);
    expect(await sender.sendTyping(OPEN_ID)).toEqual({ ok: true });
    expect(fake.callsOf('custom/typing').at(-1)?.body).toEqual({ touser: OPEN_ID, command: 'Typing' });
  });

  it('sends a long reply in parts, in order, with the quick replies listed under the last', async () => {
    const before = fake.delivered().length;
    const text = `${'第一段'.repeat(200)}\n${'第二段'.repeat(200)}`;
    expect(await sender.send(delivery(text, { quickReplies: [{ label: '是', value: 'yes' }, { label: '否', value: 'no' }] }))).toEqual({ ok: true });
    const sent = fake.delivered().slice(before).map((message) => message.content);
    expect(sent).toEqual(['第一段'.repeat(200), `${'第二段'.repeat(200)}\n\n是\n否`]);
  });

  it('renews a rejected token once and sends again', async () => {
    fake.expireTokens();
    expect(await sender.send(delivery('after expiry'))).toEqual({ ok: true });
    const calls = fake.callsOf('custom/send').slice(-2);
    expect(calls.map((call) => call.errcode)).toEqual([42001, 0]);
    expect(calls[0]?.accessToken).not.toBe(calls[1]?.accessToken);
    fake.script('custom/send', wechatAnswer.tokenInvalid(), wechatAnswer.tokenInvalid());
    expect(await sender.send(delivery('twice rejected'))).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('40001') });
  });

  it('classifies WeChat errcodes: busy and quota retryable, the closed 48-hour window permanent', async () => {
    fake.script('custom/send', wechatAnswer.systemBusy());
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('errcode -1') });
    fake.script('custom/send', wechatAnswer.dailyQuota());
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('45009') });
    fake.script('custom/send', { type: 'errcode', errcode: 45011, errmsg: 'api minute-quota reach limit' });
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: true, retryAfterMs: 60_000 });
    fake.script('custom/send', wechatAnswer.outsideWindow());
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('48 hours') });
    fake.script('custom/send', { type: 'errcode', errcode: 43004, errmsg: 'require subscribe' });
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('43004') });
  });

  it('classifies gateway answers, timeouts and dropped connections, and never puts the token in an error', async () => {
    fake.script('custom/send', wechatAnswer.serverError(502));
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: true, status: 502 });
    fake.script('custom/send', { type: 'http', status: 429, body: 'slow down', contentType: 'text/plain' });
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: true, status: 429 });
    fake.script('custom/send', { type: 'http', status: 404, body: 'nope', contentType: 'text/plain' });
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: false, status: 404 });
    fake.script('custom/send', wechatAnswer.hang());
    const hung = await sender.send(delivery('x'));
    expect(hung).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('timed out') });
    fake.script('custom/send', wechatAnswer.drop());
    const dropped = await sender.send(delivery('x'));
    expect(dropped).toMatchObject({ ok: false, retryable: true });
    fake.script('custom/send', { type: 'http', status: 200, body: '<html>proxy</html>', contentType: 'text/html' });
    expect(await sender.send(delivery('x'))).toMatchObject({ ok: false, retryable: true });
    for (const result of [hung, dropped]) expect(JSON.stringify(result)).not.toContain('fake-access-token');
  });

  it('refuses what WeChat would refuse without calling it: an address that is not an OpenID, an empty text', async () => {
    const before = fake.calls.length;
    expect(await sender.send(delivery('x', { replyAddress: '+8613800138000' }))).toMatchObject({ ok: false, retryable: false });
    expect(await sender.send(delivery('  '))).toMatchObject({ ok: false, retryable: false });
    expect(await sender.sendTyping('../etc')).toMatchObject({ ok: false, retryable: false });
    expect(fake.calls.length).toBe(before);
  });
});
