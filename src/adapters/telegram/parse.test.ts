import { describe, expect, it } from 'vitest';
import { telegramFixtureUpdates, telegramWebhookRequest } from '../../../test/support/fake-telegram.js';
import type { InboundMessage, ParseResult } from '../../contracts/inbound-message.js';
import { parseTelegramRequest } from './parse.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const USER = { id: 5_550_001, is_bot: false, first_name: '丽', last_name: '王', username: 'wangli', language_code: 'zh-hans' };
const CHAT = { id: 5_550_001, type: 'private', first_name: '丽' };

function parse(update: Record<string, unknown> | string): ParseResult[] {
  return parseTelegramRequest(telegramWebhookRequest(update, 'secret'), AT);
}

function message(update: Record<string, unknown>): InboundMessage {
  const [result, ...rest] = parse(update);
  expect(rest).toHaveLength(0);
  if (result?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

function fixture(name: string): ParseResult[] {
  const found = telegramFixtureUpdates().find((item) => item.name === `telegram/${name}`);
  if (!found) throw new Error(`no fixture ${name}`);
  return parseTelegramRequest(telegramWebhookRequest(found.body, 'secret'), AT);
}

describe('Telegram parse and normalize: fixtures', () => {
  it('reads the documented sample update (no chat.type, no is_bot)', () => {
    expect(fixture('telegram-1.json')).toEqual([
      {
        kind: 'message',
        message: {
          channel: 'telegram',
          channelMessageId: '1111111:1365',
          conversationKey: '1111111',
          sender: { id: '1111111', displayName: 'Test Test Lastname (@Test)' },
          sentAt: new Date(1_441_645_532_000),
          receivedAt: AT,
          text: '/start',
          attachments: [],
          replyAddress: '1111111',
          raw: expect.objectContaining({ update_id: 10000 }),
        },
      },
    ]);
  });

  it('keys a message on chat and message id, the sender on from', () => {
    const [result] = fixture('telegram-2.json');
    expect(result).toMatchObject({
      kind: 'message',
      message: { channelMessageId: '1111:241', conversationKey: '1111', sender: { id: '9734', displayName: 'Fk Wg (@nir)' }, text: 'HIHI' },
    });
  });

  it('takes the largest photo size as a file reference, without downloading it', () => {
    const [result] = fixture('telegram-3-message-photo.json');
    expect(result).toMatchObject({
      kind: 'message',
      message: { text: '', attachments: [{ type: 'image', id: 'dd-A_LsTIABFNx-FUOaEa_3AABAQABAg', size: 53013 }] },
    });
  });
});

describe('Telegram parse and normalize: update kinds', () => {
  const base = { message_id: 77, date: 1_790_000_000, chat: CHAT, from: USER };

  it('reads text, the locale and a caption in place of text', () => {
    const text = message({ update_id: 1, message: { ...base, text: '我的卡被盗刷了' } });
    expect(text).toMatchObject({ text: '我的卡被盗刷了', locale: 'zh-hans', sender: { id: '5550001', displayName: '丽 王 (@wangli)' } });
    expect(text.sentAt).toEqual(new Date(1_790_000_000_000));
    const captioned = message({
      update_id: 2,
      message: { ...base, caption: 'the receipt', photo: [{ file_id: 'small', width: 90, height: 90 }, { file_id: 'big', width: 800, height: 600 }] },
    });
    expect(captioned.text).toBe('the receipt');
    expect(captioned.attachments).toEqual([{ type: 'image', id: 'big' }]);
  });

  it('turns documents, voice notes, audio, video and locations into attachment references', () => {
    const withFiles = message({
      update_id: 3,
      message: {
        ...base,
        document: { file_id: 'doc-1', file_unique_id: 'u1', file_name: 'statement.pdf', mime_type: 'application/pdf', file_size: 446 },
        voice: { file_id: 'voice-1', duration: 3, mime_type: 'audio/ogg', file_size: 10481 },
      },
    });
    expect(withFiles.attachments).toEqual([
      { type: 'document', id: 'doc-1', name: 'statement.pdf', mimeType: 'application/pdf', size: 446 },
      { type: 'audio', id: 'voice-1', name: 'voice message', mimeType: 'audio/ogg', size: 10481 },
    ]);
    expect(message({ update_id: 4, message: { ...base, audio: { file_id: 'a', title: 'call.mp3' } } }).attachments).toEqual([
      { type: 'audio', id: 'a', name: 'call.mp3' },
    ]);
    expect(message({ update_id: 5, message: { ...base, video: { file_id: 'v', file_size: 9 } } }).attachments).toEqual([{ type: 'video', id: 'v', size: 9 }]);
    expect(message({ update_id: 6, message: { ...base, location: { latitude: 26.09, longitude: 127.47 } } }).attachments).toEqual([
      { type: 'location', id: '26.09,127.47', name: 'location' },
    ]);
  });

  it('takes the phone from a shared contact only when it is the sender’s own', () => {
    const own = message({ update_id: 7, message: { ...base, contact: { phone_number: '+8613800138000', first_name: '丽', user_id: USER.id } } });
    expect(own.sender.phone).toBe('+8613800138000');
    const other = message({ update_id: 8, message: { ...base, contact: { phone_number: '+8613900000000', first_name: 'X', user_id: 1 } } });
    expect(other.sender.phone).toBeUndefined();
  });

  it('reads an edit as a new message keyed on its edit time', () => {
    const edited = message({ update_id: 9, edited_message: { ...base, text: 'corrected', edit_date: 1_790_000_100 } });
    expect(edited).toMatchObject({ channelMessageId: '5550001:77:edit:1790000100', text: 'corrected' });
    expect(edited.sentAt).toEqual(new Date(1_790_000_100_000));
  });

  it('reads an inline-keyboard tap as a message whose text is the button data', () => {
    const tap = message({
      update_id: 10,
      callback_query: { id: '4382bfdwdsb323b2d9', from: USER, chat_instance: '-1', data: 'confirm', message: { message_id: 12, date: 1_780_000_000, chat: CHAT, text: 'Is this right?' } },
    });
    expect(tap).toMatchObject({ channelMessageId: 'callback:4382bfdwdsb323b2d9', conversationKey: '5550001', replyAddress: '5550001', text: 'confirm', locale: 'zh-hans' });
    expect(tap.sentAt).toEqual(AT);
  });

  it('uses the group chat, not the user, as the conversation', () => {
    const group = message({ update_id: 11, message: { ...base, chat: { id: -1_001_309_982_000, type: 'supergroup', title: 'x' }, text: 'hi' } });
    expect(group).toMatchObject({ conversationKey: '-1001309982000', replyAddress: '-1001309982000', sender: { id: '5550001' } });
  });

  it('never dates a message after its receipt', () => {
    expect(message({ update_id: 12, message: { ...base, date: 4_000_000_000, text: 'from the future' } }).sentAt).toEqual(AT);
  });

  it.each([
    ['channel_post', { channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel' }, text: 'news' } }, /channel_post/],
    ['my_chat_member', { my_chat_member: { chat: CHAT, from: USER, date: 1, old_chat_member: {}, new_chat_member: {} } }, /my_chat_member/],
    ['inline_query', { inline_query: { id: '1', from: USER, query: 'q', offset: '' } }, /inline_query/],
    ['no kind at all', {}, /empty/],
    ['a service message', { message: { ...base, new_chat_members: [USER] } }, /service message/],
    ['a message without from', { message: { message_id: 1, date: 1, chat: CHAT, sender_chat: CHAT, text: 'anon' } }, /without a user sender/],
    ['a tap without data', { callback_query: { id: 'c', from: USER, chat_instance: '1', game_short_name: 'g', message: { message_id: 1, date: 1, chat: CHAT } } }, /without data/],
    ['a tap on an inline message', { callback_query: { id: 'c', from: USER, chat_instance: '1', data: 'x', inline_message_id: 'im' } }, /inline message/],
  ])('answers %s as unsupported', (_name, kind, reason) => {
    const results = parse({ update_id: 99, ...kind });
    expect(results).toEqual([{ kind: 'unsupported', reason: expect.stringMatching(reason) }]);
  });
});

describe('Telegram parse: garbage', () => {
  it.each([
    ['not JSON', 'update_id=1'],
    ['truncated', '{"update_id":1,"message":{'],
    ['an array', '[{"update_id":1}]'],
    ['a string id', '{"update_id":"1"}'],
    ['a fractional id', '{"update_id":1.5}'],
    ['text of the wrong type', '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"text":5}}'],
    ['a chat id as a string', '{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":"1"},"text":"x"}}'],
  ])('refuses %s with PayloadInvalid', (_name, body) => {
    expect(() => parse(body)).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID', httpStatus: 400 }));
  });

  it('says where the shape is wrong', () => {
    expect(() => parse('{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"text":5}}')).toThrow(
      expect.objectContaining({ details: expect.arrayContaining([expect.objectContaining({ path: 'message.text' })]) }),
    );
  });

  it('refuses a body that is not UTF-8', () => {
    const request = telegramWebhookRequest(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'secret');
    expect(() => parseTelegramRequest(request, AT)).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID', message: expect.stringMatching(/UTF-8/) }));
  });
});
