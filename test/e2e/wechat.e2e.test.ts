/**
 * WeChat Official Account end to end, on both configurations, against a local fake of WeChat's server API: the
 * server check (`GET /webhooks/wechat` → `echostr`); a message POSTed with a signed query is stored, answered
 * `success`, and the intake dialog's question arrives as a customer-service message (with "typing…" first); a whole
 * short conversation in Chinese ends with a `CMP-` reference; bad, stale and tampered signatures are 401 and store
 * nothing; events are acknowledged and not stored; a WeChat retry of the same MsgId is one message; a reply that
 * met a gateway 500, a busy WeChat or an expired access token is delivered on the next try, and one outside the 48 h
 * window fails at once. In safe mode (EncodingAESKey set) the official compat-mode vector is taken, an encrypted
 * message is answered, and a tampered `<Encrypt>` or a plaintext push is refused.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOmbudsError } from '../../src/shared/errors.js';
import { loadEnv } from '../../src/config/env.js';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import {
  officialVectorRequest,
  signedWeChatPost,
  signedWeChatQuery,
  startFakeWeChat,
  wechatAnswer,
  WECHAT_OFFICIAL_VECTOR,
  wechatPlainFixtures,
  wechatTextXml,
  type FakeWeChat,
  type WeChatSigning,
} from '../support/fake-wechat.js';
import { fixturePath } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const TOKEN = 'ombudsWeChatToken2026';
const APP = { appId: 'wx7f3a9c2b1d4e5f60', appSecret: '9f8e7d6c5b4a39281706f5e4d3c2b1a0' };
const ENV = { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APP.appId, WECHAT_APP_SECRET: APP.appSecret, RETRY_BASE_MS: '10', RETRY_MAX_MS: '200', OUTBOUND_TIMEOUT_MS: '3000' };

let nextCustomer = 0;
let nextMsgId = 7_300_000_000_000_000_000n;

/** A new follower's OpenID (28 characters, as WeChat's). */
function newOpenId(): string {
  nextCustomer += 1;
  return `oWx${String(nextCustomer).padStart(4, '0')}${'e2eFollowerOpenId0000'.slice(0, 21)}`;
}

/** A 64-bit MsgId beyond 2^53: any rounding would show as a wrong or duplicate id. */
function newMsgId(): string {
  nextMsgId += 1n;
  return nextMsgId.toString();
}

function post(harness: Harness, message: string | Buffer, signing: WeChatSigning) {
  const { query, body } = signedWeChatPost(message, signing);
  return postRaw(harness, body, query);
}

function postRaw(harness: Harness, body: Buffer | string, query: string) {
  return request(harness.ombuds.app)
    .post(`/webhooks/wechat?${query}`)
    .set('Content-Type', 'text/xml')
    .send(Buffer.isBuffer(body) ? body.toString('utf8') : body);
}

async function inboundCount(harness: Harness): Promise<number> {
  const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'wechat' AND direction = 'inbound'`);
  return result.rows[0]?.n ?? -1;
}

async function outboundTo(harness: Harness, openId: string): Promise<{ text: string; status: string; attempts: number; last_error: string | null }[]> {
  const result = await harness.ombuds.database.query<{ text: string; status: string; attempts: number; last_error: string | null }>(
    `SELECT text, status, attempts, last_error FROM messages WHERE channel = 'wechat' AND direction = 'outbound' AND reply_address = $1 ORDER BY sent_at, id`,
    [openId],
  );
  return result.rows;
}

/** A WeChat follower chatting through the webhook; replies are what the fake's custom/send delivered to them. */
function wechatChat(harness: () => Harness, fake: FakeWeChat, signing: Omit<WeChatSigning, 'timestamp' | 'nonce'>): ChatChannel & { openId: string } {
  const openId = newOpenId();
  const send = async (text: string): Promise<void> => {
    const response = await post(harness(), wechatTextXml({ openId, msgId: newMsgId(), text }), signing);
    if (response.status !== 200 || response.text !== 'success') throw new Error(`webhook answered ${String(response.status)} ${response.text}`);
  };
  return {
    openId,
    send,
    // WeChat text has no buttons: the customer types the option.
    press: send,
    replies(): BotReply[] {
      return fake
        .delivered()
        .filter((message) => message.touser === openId)
        .map((message) => ({ text: message.content, quickReplies: [] }));
    },
  };
}

describe.each(CONFIGURATIONS)('WeChat channel end to end, plain mode (%s)', (configuration) => {
  let fake: FakeWeChat;
  let harness: Harness;
  const current = () => harness;
  const signing: WeChatSigning = { token: TOKEN };

  beforeAll(async () => {
    fake = await startFakeWeChat(APP);
    harness = await startHarness(configuration, { env: { ...ENV, WECHAT_API_ROOT: fake.apiRoot } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('answers the server check with echostr when signed, and 401 when not', async () => {
    const ok = await request(harness.ombuds.app).get(`/webhooks/wechat?${signedWeChatQuery(signing, { echostr: '4857362516273849506' })}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.text).toBe('4857362516273849506');
    const bad = await request(harness.ombuds.app).get(`/webhooks/wechat?${signedWeChatQuery({ token: 'notTheToken' }, { echostr: '1' })}`);
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('stores a signed message, answers success, shows typing and sends the dialog\'s question as a customer-service message', async () => {
    const openId = newOpenId();
    const msgId = newMsgId();
    const response = await post(harness, wechatTextXml({ openId, msgId, text: '你好，我想投诉' }), signing);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toBe('success');
    const stored = await harness.ombuds.database.query<{ channel_message_id: string; conversation_key: string; text: string }>(
      `SELECT channel_message_id, conversation_key, text FROM messages WHERE channel = 'wechat' AND direction = 'inbound' AND reply_address = $1`,
      [openId],
    );
    expect(stored.rows).toEqual([{ channel_message_id: msgId, conversation_key: openId, text: '你好，我想投诉' }]);
    await settle(harness);
    const replies = fake.delivered().filter((message) => message.touser === openId);
    expect(replies.length).toBeGreaterThan(0);
    expect(textOf(replies.map((message) => ({ text: message.content, quickReplies: [] })))).toMatch(/[\u4e00-\u9fff].*？/su);
    expect(fake.callsOf('custom/typing').some((call) => call.body.touser === openId && call.body.command === 'Typing')).toBe(true);
  });

  it('takes a Chinese complaint over a short conversation and registers it with a CMP reference', async () => {
    const channel = wechatChat(current, fake, signing);
    const customer = chatCustomer(current, channel);
    // Product and amount were said; the date was not: that is the question (no buttons on WeChat: the options are in the text).
    const first = await customer.turn('我的信用卡在超市同一笔300元的消费被扣了两次');
    expect(textOf(first)).toMatch(/什么时候发生/);
    expect(textOf(first)).not.toMatch(/多少金额|哪项产品/);
    expect(textOf(await customer.turn('昨天'))).toMatch(/如何处理/);
    // WeChat reaches the customer only within 48 hours of their last message: the dialog asks for a contact.
    expect(textOf(await customer.turn('退款'))).toMatch(/如何就此投诉联系您/);
    const summary = await customer.turn('我的手机号是13912345678');
    expect(textOf(summary)).toMatch(/是否正确/);
    expect(textOf(summary)).toContain('13912345678');
    expect(textOf(summary)).toContain('300 CNY');
    expect(textOf(summary)).toContain('退款');
    const registered = await customer.turn('是');
    expect(textOf(registered)).toMatch(/前给您最终答复/);
    const reference = referenceIn(registered);
    expect(reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    const complaint = await harness.ombuds.database.query<{ stage: string; record: { channels: string[]; product: string } }>(`SELECT stage, record FROM complaints WHERE reference = $1`, [reference]);
    expect(complaint.rows[0]).toMatchObject({ stage: 'registered', record: { channels: ['wechat'], product: 'cards' } });
  });

  it('takes every WeChat fixture as WeChat sends it; the doc samples share one MsgId and the event is not stored', async () => {
    const before = await inboundCount(harness);
    for (const { name, body } of wechatPlainFixtures()) {
      const response = await post(harness, body, signing);
      expect(response.status, `${name}: ${response.text}`).toBe(200);
      expect(response.text).toBe('success');
    }
    // wechat-1, -2 and -3 all carry MsgId 1234567890123456 (one stored, two duplicates); wechat-5 is another; wechat-6 is an event.
    expect(await inboundCount(harness)).toBe(before + 2);
    const ids = await harness.ombuds.database.query<{ channel_message_id: string }>(
      `SELECT channel_message_id FROM messages WHERE channel = 'wechat' AND channel_message_id IN ('1234567890123456', '6054768590064713728') ORDER BY 1`,
    );
    expect(ids.rows.map((row) => row.channel_message_id)).toEqual(['1234567890123456', '6054768590064713728']);
    await settle(harness);
  });

  it('refuses a bad, missing, tampered or stale signature with 401 and garbage with 400, storing nothing', async () => {
    const before = await inboundCount(harness);
    const message = wechatTextXml({ openId: newOpenId(), msgId: newMsgId(), text: '我的卡被盗刷了' });
    const { query, body } = signedWeChatPost(message, signing);
    const params = new URLSearchParams(query);
    const tampered = new URLSearchParams(params);
    const signature = params.get('signature') ?? '';
    tampered.set('signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    const otherNonce = new URLSearchParams(params);
    otherNonce.set('nonce', `${params.get('nonce') ?? ''}9`);
    const stale = signedWeChatPost(message, { ...signing, timestamp: String(Math.floor(Date.now() / 1000) - 3600) });
    for (const refused of [postRaw(harness, body, tampered.toString()), postRaw(harness, body, otherNonce.toString()), postRaw(harness, body, ''), postRaw(harness, stale.body, stale.query), post(harness, message, { token: 'someoneElse' })]) {
      const response = await refused;
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('SIGNATURE_INVALID');
    }
    for (const garbage of ['{"MsgType":"text"}', '<xml><MsgType>text</MsgType></xml>', '<!DOCTYPE x [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>']) {
      const response = await post(harness, garbage, signing);
      expect(response.status, garbage).toBe(400);
      expect(response.body.error.code).toBe('PAYLOAD_INVALID');
    }
    expect(await inboundCount(harness)).toBe(before);
  });

  it('acknowledges subscribe, unsubscribe and menu events with success and stores nothing', async () => {
    const before = await inboundCount(harness);
    const openId = newOpenId();
    for (const event of ['subscribe', 'unsubscribe', 'CLICK']) {
      const xml = `<xml><ToUserName><![CDATA[gh_ombudsbank01]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><EventKey><![CDATA[]]></EventKey></xml>`;
      const response = await post(harness, xml, signing);
      expect(response.status).toBe(200);
      expect(response.text).toBe('success');
    }
    expect(await inboundCount(harness)).toBe(before);
    expect(fake.delivered().filter((message) => message.touser === openId)).toEqual([]);
  });

  it('stores a WeChat retry of the same MsgId once and answers it once', async () => {
    const openId = newOpenId();
    const message = wechatTextXml({ openId, msgId: newMsgId(), text: 'My mortgage payment was taken twice this month' });
    // WeChat retries with the same body (and a fresh signature) when it had no answer within 5 seconds.
    const responses = [await post(harness, message, signing), await post(harness, message, signing), await post(harness, message, signing)];
    expect(responses.map((response) => [response.status, response.text])).toEqual([[200, 'success'], [200, 'success'], [200, 'success']]);
    await settle(harness);
    const stored = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'wechat' AND direction = 'inbound' AND reply_address = $1`, [openId]);
    expect(stored.rows[0]?.n).toBe(1);
    expect(await outboundTo(harness, openId)).toHaveLength(1);
  });

  it('delivers a reply on the next attempt after a gateway 500 and a busy WeChat (errcode -1)', async () => {
    await settle(harness);
    const channel = wechatChat(current, fake, signing);
    fake.script('custom/send', wechatAnswer.serverError(500), wechatAnswer.systemBusy());
    await chatCustomer(current, channel).turn('My online banking app keeps logging me out and I cannot pay my rent');
    const [first] = await outboundTo(harness, channel.openId);
    expect(first).toMatchObject({ status: 'sent', attempts: 3 });
    expect(channel.replies()[0]?.text).toBe(first?.text);
    const calls = fake.callsOf('custom/send').filter((call) => call.body.touser === channel.openId);
    expect(calls.map((call) => call.errcode).slice(0, 3)).toEqual([null, -1, 0]);
  });

  it('renews an expired access token within the attempt and delivers', async () => {
    await settle(harness);
    const expired = fake.callsOf('custom/send').at(-1)?.accessToken;
    fake.expireTokens();
    const channel = wechatChat(current, fake, signing);
    await chatCustomer(current, channel).turn('A payment I never made left my account yesterday');
    const [first] = await outboundTo(harness, channel.openId);
    expect(first).toMatchObject({ status: 'sent', attempts: 1 });
    // "typing…" or the reply met the expired token first (42001); the token was renewed and the reply went with the new one.
    const calls = [...fake.callsOf('custom/typing'), ...fake.callsOf('custom/send')].filter((call) => call.body.touser === channel.openId);
    expect(calls.some((call) => call.errcode === 42001 && call.accessToken === expired)).toBe(true);
    const delivered = fake.callsOf('custom/send').find((call) => call.body.touser === channel.openId && call.errcode === 0);
    expect(delivered?.accessToken).not.toBe(expired);
  });

  it('fails a reply at once when WeChat says the 48-hour window is closed (errcode 45015)', async () => {
    await settle(harness);
    const late = wechatChat(current, fake, signing);
    fake.script('custom/send', wechatAnswer.outsideWindow());
    await chatCustomer(current, late).turn('My savings account was closed without notice');
    const [failed] = await outboundTo(harness, late.openId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.last_error).toMatch(/45015/);
  });

  it('documents the mounted webhook and never logs the token, the AppSecret or an access token', async () => {
    const openapi = await request(harness.ombuds.app).get('/v1/openapi.json');
    const path = (openapi.body.paths as Record<string, Record<string, { summary?: string }>>)['/webhooks/wechat'];
    expect(Object.keys(path ?? {}).sort()).toEqual(['get', 'post']);
    expect(path?.post?.summary).toMatch(/WeChat/);
    const logs = harness.logLines.join('\n');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(APP.appSecret);
    expect(logs).not.toContain('fake-access-token');
  });
});

describe.each(CONFIGURATIONS)('WeChat channel end to end, safe mode (%s)', (configuration) => {
  const vector = WECHAT_OFFICIAL_VECTOR;
  let fake: FakeWeChat;
  let harness: Harness;
  const signing: WeChatSigning = { token: vector.token, aes: { encodingAesKey: vector.encodingAesKey, appId: vector.appId } };

  beforeAll(async () => {
    fake = await startFakeWeChat({ appId: vector.appId, appSecret: APP.appSecret });
    harness = await startHarness(configuration, {
      // The official vector was signed in 2014: the timestamp check is off here (plain mode tests it).
      env: { ...ENV, WECHAT_TOKEN: vector.token, WECHAT_APP_ID: vector.appId, WECHAT_ENCODING_AES_KEY: vector.encodingAesKey, WECHAT_TIMESTAMP_TOLERANCE_SECONDS: '0', WECHAT_API_ROOT: fake.apiRoot },
    });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('takes the official compat-mode vector: the decrypted message, its 64-bit MsgId exact', async () => {
    const vectorRequest = officialVectorRequest();
    const response = await postRaw(harness, vectorRequest.rawBody, vectorRequest.path.split('?')[1] ?? '');
    expect([response.status, response.text]).toEqual([200, 'success']);
    const stored = await harness.ombuds.database.query<{ text: string; conversation_key: string }>(
      `SELECT text, conversation_key FROM messages WHERE channel = 'wechat' AND channel_message_id = '6054768590064713728'`,
    );
    expect(stored.rows).toEqual([{ text: 'abcdteT', conversation_key: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs' }]);
    expect(readFileSync(fixturePath('wechat/wechat-4-encrypted-compat.xml'), 'utf8')).toContain('<Encrypt>');
    await settle(harness);
  });

  it('answers an encrypted message with the dialog\'s question; the server check still uses the plain signature', async () => {
    const openId = newOpenId();
    const response = await post(harness, wechatTextXml({ openId, msgId: newMsgId(), text: '我的储蓄卡被多扣了年费' }), signing);
    expect([response.status, response.text]).toEqual([200, 'success']);
    await settle(harness);
    expect(fake.delivered().filter((message) => message.touser === openId).length).toBeGreaterThan(0);
    const check = await request(harness.ombuds.app).get(`/webhooks/wechat?${signedWeChatQuery({ token: vector.token }, { echostr: '42' })}`);
    expect([check.status, check.text]).toEqual([200, '42']);
  });

  it('refuses a tampered <Encrypt> (one byte changed) and a plaintext push with 401, storing nothing', async () => {
    const before = await inboundCount(harness);
    const message = wechatTextXml({ openId: newOpenId(), msgId: newMsgId(), text: '有人冒充银行给我打电话' });
    const { query, body } = signedWeChatPost(message, signing);
    const tampered = Buffer.from(body);
    const at = tampered.indexOf('<Encrypt><![CDATA[') + 40;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const refused = await postRaw(harness, tampered, query);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('SIGNATURE_INVALID');
    const plaintext = await post(harness, message, { token: vector.token });
    expect(plaintext.status).toBe(401);
    expect(await inboundCount(harness)).toBe(before);
    expect((await postRaw(harness, body, query)).status).toBe(200);
    expect(await inboundCount(harness)).toBe(before + 1);
    await settle(harness);
  });
});

describe('WeChat configuration', () => {
  const refused = (source: Record<string, string>): string => {
    try {
      loadEnv(source);
    } catch (error) {
      if (isOmbudsError(error) && error.code === 'CONFIG_INVALID') return error.message;
      throw error;
    }
    throw new Error('accepted');
  };

  it('is off without a token, and needs the AppID and AppSecret with it', () => {
    const off = loadEnv({});
    expect(off.WECHAT_TOKEN).toBeUndefined();
    expect(off).toMatchObject({ WECHAT_API_ROOT: 'https://api.weixin.qq.com', WECHAT_TIMESTAMP_TOLERANCE_SECONDS: 300 });
    const message = refused({ WECHAT_TOKEN: TOKEN });
    expect(message).toContain('WECHAT_APP_ID');
    expect(message).toContain('WECHAT_APP_SECRET');
    expect(refused({ WECHAT_ENCODING_AES_KEY: WECHAT_OFFICIAL_VECTOR.encodingAesKey })).toContain('WECHAT_TOKEN');
  });

  it.each([
    ['WECHAT_TOKEN', 'has spaces'],
    ['WECHAT_TOKEN', 'Qz'],
    ['WECHAT_APP_ID', 'wx123'],
    ['WECHAT_APP_SECRET', 'short-secret'],
    ['WECHAT_ENCODING_AES_KEY', 'abc'],
    ['WECHAT_API_ROOT', 'api.weixin.qq.com'],
    ['WECHAT_TIMESTAMP_TOLERANCE_SECONDS', '-1'],
  ])('refuses %s=%s and names it, without echoing a secret', (name, value) => {
    const message = refused({ ...ENV, [name]: value });
    expect(message).toContain(name);
    expect(message).not.toContain(APP.appSecret);
    if (['WECHAT_TOKEN', 'WECHAT_APP_SECRET', 'WECHAT_ENCODING_AES_KEY'].includes(name)) expect(message).not.toContain(value);
  });
});
