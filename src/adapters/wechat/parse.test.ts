import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { officialVectorRequest, wechatPlainFixtures, wechatWebhookRequest, WECHAT_OFFICIAL_VECTOR } from '../../../test/support/fake-wechat.js';
import { fixturePath } from '../../../test/support/fixtures.js';
import type { InboundMessage, ParseResult } from '../../contracts/inbound-message.js';
import { isOmbudsError } from '../../shared/errors.js';
import { wechatAesKey, type WeChatCipher } from './message-crypto.js';
import { parseWeChatRequest } from './parse.js';

const RECEIVED_AT = new Date('2026-12-01T08:00:00.000Z');
const SIGNING = { token: 'parseToken1', timestamp: String(RECEIVED_AT.getTime() / 1000) };
const CIPHER: WeChatCipher = { key: wechatAesKey(WECHAT_OFFICIAL_VECTOR.encodingAesKey), appId: WECHAT_OFFICIAL_VECTOR.appId };

function parseFixture(name: string): ParseResult[] {
  return parseWeChatRequest(wechatWebhookRequest(readFileSync(fixturePath(`wechat/${name}`)), SIGNING), RECEIVED_AT, null);
}

function only(results: ParseResult[]): InboundMessage {
  expect(results).toHaveLength(1);
  const [result] = results;
  if (result?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

function parseXml(xml: string, cipher: WeChatCipher | null = null): ParseResult[] {
  return parseWeChatRequest(wechatWebhookRequest(xml, SIGNING), RECEIVED_AT, cipher);
}

const ENVELOPE = (type: string, fields: string, msgId = '<MsgId>5000000000000000001</MsgId>') =>
  `<xml><ToUserName><![CDATA[gh_bank]]></ToUserName><FromUserName><![CDATA[oCustomer_42-x]]></FromUserName><CreateTime>1764576000</CreateTime><MsgType><![CDATA[${type}]]></MsgType>${fields}${msgId}</xml>`;

describe('parseWeChatRequest: the fixtures', () => {
  it('wechat-1: a text message, keyed on MsgId, threaded and answered on the OpenID', () => {
    const message = only(parseFixture('wechat-1-text.xml'));
    expect(message).toMatchObject({
      channel: 'wechat',
      channelMessageId: '1234567890123456',
      conversationKey: 'fromUser',
      replyAddress: 'fromUser',
      sender: { id: 'fromUser' },
      text: 'this is a test',
      attachments: [],
      receivedAt: RECEIVED_AT,
    });
    expect(message.sentAt.toISOString()).toBe('2012-09-28T11:31:00.000Z');
    expect(message.sender.phone).toBeUndefined();
    expect(message.raw).toMatchObject({ ToUserName: 'toUser', MsgType: 'text', MsgId: '1234567890123456' });
  });

  it('wechat-2: an image, as a reference (PicUrl and MediaId), with no text', () => {
    const message = only(parseFixture('wechat-2-image.xml'));
    expect(message).toMatchObject({ channelMessageId: '1234567890123456', text: '', attachments: [{ type: 'image', id: 'media_id', url: 'this is a url' }] });
  });

  it('wechat-3: a voice message: the recognised speech is the text, the voice an attachment reference', () => {
    const message = only(parseFixture('wechat-3-voice-recognition.xml'));
    expect(message).toMatchObject({ text: '腾讯微信团队', attachments: [{ type: 'audio', id: 'media_id', name: 'voice message' }] });
    expect(message.sentAt.toISOString()).toBe('2013-01-04T09:15:13.000Z');
  });

  it('wechat-4: the compat-mode vector is read from <Encrypt> (decrypted: wechat-5), its 64-bit MsgId exact', () => {
    const vectorAt = new Date(Number(WECHAT_OFFICIAL_VECTOR.timestamp) * 1000);
    const message = only(parseWeChatRequest(officialVectorRequest(), vectorAt, CIPHER));
    expect(message).toMatchObject({
      channelMessageId: '6054768590064713728',
      conversationKey: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      text: 'abcdteT',
      sentAt: new Date(1_409_735_668_000),
    });
    expect(message.raw).toEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
    // The plaintext copy beside <Encrypt> is ignored: only what decrypts counts.
    const vector = officialVectorRequest();
    const changed = { ...vector, rawBody: Buffer.from(vector.rawBody.toString('utf8').replace('abcdteT', 'forged'), 'utf8') };
    expect(only(parseWeChatRequest(changed, vectorAt, CIPHER)).text).toBe('abcdteT');
  });

  it('wechat-5: the decrypted vector as a plain-mode body', () => {
    expect(only(parseFixture('wechat-5-decrypted.xml'))).toMatchObject({ channelMessageId: '6054768590064713728', text: 'abcdteT' });
  });

  it('wechat-6: a subscribe event is unsupported (acknowledged, never stored)', () => {
    expect(parseFixture('wechat-6-subscribe-event.xml')).toEqual([{ kind: 'unsupported', reason: 'wechat event "subscribe" is not handled' }]);
  });

  it('parses every plain fixture encrypted in safe mode to the same results', () => {
    for (const fixture of wechatPlainFixtures()) {
      const plain = parseWeChatRequest(wechatWebhookRequest(fixture.body, SIGNING), RECEIVED_AT, null);
      const encrypted = parseWeChatRequest(wechatWebhookRequest(fixture.body, { ...SIGNING, aes: { encodingAesKey: WECHAT_OFFICIAL_VECTOR.encodingAesKey, appId: CIPHER.appId } }), RECEIVED_AT, CIPHER);
      expect(encrypted, fixture.name).toEqual(plain);
    }
  });
});

describe('parseWeChatRequest: other message kinds and edge cases', () => {
  it('takes video, location and link messages with their references', () => {
    expect(only(parseXml(ENVELOPE('video', '<MediaId><![CDATA[vid-1]]></MediaId><ThumbMediaId><![CDATA[th]]></ThumbMediaId>'))).attachments).toEqual([{ type: 'video', id: 'vid-1' }]);
    expect(only(parseXml(ENVELOPE('location', '<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州市天河区]]></Label>'))).attachments).toEqual([
      { type: 'location', id: '23.134521,113.358803', name: '广州市天河区' },
    ]);
    const link = only(parseXml(ENVELOPE('link', '<Title><![CDATA[账单]]></Title><Description><![CDATA[扣款记录]]></Description><Url><![CDATA[https://example.com/x]]></Url>')));
    expect(link).toMatchObject({ text: '账单\n扣款记录\nhttps://example.com/x', attachments: [{ type: 'other', url: 'https://example.com/x', name: '账单' }] });
  });

  it('keys a message without MsgId on FromUserName + CreateTime, and reads a millisecond CreateTime as such', () => {
    const message = only(parseXml(ENVELOPE('text', '<Content><![CDATA[hi]]></Content>', '')));
    expect(message.channelMessageId).toBe('oCustomer_42-x:1764576000');
    const ms = only(parseXml(ENVELOPE('text', '<Content><![CDATA[hi]]></Content>').replace('1764576000', '1764576000123')));
    expect(ms.sentAt.toISOString()).toBe('2025-12-01T08:00:00.123Z');
  });

  it('never dates a message after its receipt, nor at the epoch', () => {
    expect(only(parseXml(ENVELOPE('text', '<Content>x</Content>').replace('1764576000', '1893456000'))).sentAt).toEqual(RECEIVED_AT);
    expect(only(parseXml(ENVELOPE('text', '<Content>x</Content>').replace('1764576000', '0'))).sentAt).toEqual(RECEIVED_AT);
  });

  it('treats events, unknown types and empty messages as unsupported, never as messages', () => {
    const reasons = [
      ENVELOPE('event', '<Event><![CDATA[unsubscribe]]></Event>', ''),
      ENVELOPE('event', '<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[COMPLAIN]]></EventKey>', ''),
      ENVELOPE('event', '<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><Status><![CDATA[success]]></Status>', ''),
      ENVELOPE('miniprogrampage', '<Title>x</Title>'),
      ENVELOPE('text', '<Content><![CDATA[   ]]></Content>'),
      ENVELOPE('voice', '<Format>amr</Format>'),
    ].map((xml) => {
      const [result] = parseXml(xml);
      if (result?.kind !== 'unsupported') throw new Error(`not unsupported: ${xml}`);
      return result.reason;
    });
    expect(reasons).toEqual([
      'wechat event "unsubscribe" is not handled',
      'wechat event "CLICK" is not handled',
      'wechat event "TEMPLATESENDJOBFINISH" is not handled',
      'wechat message type "miniprogrampage" is not handled',
      'wechat text message without content',
      'wechat voice message without content',
    ]);
  });

  it('keeps a voice message without recognition as the voice alone, and text longer than the contract allows clipped', () => {
    expect(only(parseXml(ENVELOPE('voice', '<MediaId>m</MediaId><Format>amr</Format>')))).toMatchObject({ text: '', attachments: [{ type: 'audio', id: 'm', mimeType: 'audio/amr' }] });
    expect(only(parseXml(ENVELOPE('text', `<Content>${'字'.repeat(100_010)}</Content>`))).text).toHaveLength(100_000);
  });

  it('refuses garbage, missing fields and an encrypted body it cannot decrypt with PayloadInvalid', () => {
    const refused = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        if (isOmbudsError(error) && error.code === 'PAYLOAD_INVALID') return error.message;
        throw error;
      }
      throw new Error('accepted');
    };
    expect(refused(() => parseXml('<xml><MsgType>text</MsgType></xml>'))).toMatch(/not a WeChat message/);
    expect(refused(() => parseXml(ENVELOPE('text', '<Content>x</Content>', '<MsgId>-1</MsgId>')))).toMatch(/not a WeChat message/);
    const encrypted = wechatWebhookRequest(ENVELOPE('text', '<Content>x</Content>'), { ...SIGNING, aes: { encodingAesKey: WECHAT_OFFICIAL_VECTOR.encodingAesKey, appId: 'wx0000000000000000' } });
    expect(refused(() => parseWeChatRequest(encrypted, RECEIVED_AT, CIPHER))).toMatch(/another appid/);
    expect(refused(() => parseWeChatRequest(encrypted, RECEIVED_AT, null))).toMatch(/no EncodingAESKey/);
  });
});
