import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, listFixtures, readJsonFixture } from '../../../test/support/fixtures.js';
import { InboundMessage, type ParseResult } from '../../contracts/inbound-message.js';
import { isOmbudsError } from '../../shared/errors.js';
import { boundedKey, valueAsText } from './normalize.js';
import { parseBotFrameworkActivity } from './parse.js';
import { decodeReplyAddress } from './reply-address.js';

const RECEIVED = new Date('2026-12-01T08:00:00.000Z');

const parse = (body: unknown): ParseResult[] => parseBotFrameworkActivity(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), RECEIVED);

function onlyMessage(results: ParseResult[]): InboundMessage {
  expect(results).toHaveLength(1);
  const [result] = results;
  if (result?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  return result.message;
}

function thrown(body: unknown): unknown {
  try {
    parse(body);
  } catch (error) {
    return error;
  }
  return null;
}

const userMessage = () => readJsonFixture('botframework/botframework-1.json');

describe('Bot Framework Activity parsing', () => {
  it('parses every fixture, byte for byte as published, into valid results', () => {
    const files = listFixtures('botframework');
    expect(files).toHaveLength(3);
    for (const file of files) {
      const results = parseBotFrameworkActivity(readFileSync(fixturePath(file)), RECEIVED);
      expect(results).toHaveLength(1);
      for (const result of results) if (result.kind === 'message') expect(InboundMessage.safeParse(result.message).success).toBe(true);
    }
  });

  it('normalizes the Emulator / Web Chat message', () => {
    const message = onlyMessage(parseBotFrameworkActivity(readFileSync(fixturePath('botframework/botframework-1.json')), RECEIVED));
    expect(message).toMatchObject({
      channel: 'botframework',
      channelMessageId: 'emulator:bbec97a0-ebc9-11ea-bc29-bb90646b4033|livechat:bc318fe0-ebc9-11ea-a388-4116bc904efe',
      conversationKey: 'emulator:bbec97a0-ebc9-11ea-bc29-bb90646b4033|livechat',
      sender: { id: 'emulator:b3a1b380-1137-4768-8178-816209c2e761', displayName: 'User' },
      sentAt: new Date('2020-08-31T20:37:06.654Z'),
      receivedAt: RECEIVED,
      text: 'wheat',
      attachments: [],
      locale: 'en-us',
    });
    expect(message.raw).toEqual(userMessage());
    expect(decodeReplyAddress(message.replyAddress)).toEqual({
      v: 1,
      serviceUrl: 'http://localhost:64271',
      channelId: 'emulator',
      conversationId: 'bbec97a0-ebc9-11ea-bc29-bb90646b4033|livechat',
      activityId: 'bc318fe0-ebc9-11ea-a388-4116bc904efe',
      bot: { id: 'db6b23b0-e987-11ea-bc29-bb90646b4033', name: 'Bot' },
      user: { id: 'b3a1b380-1137-4768-8178-816209c2e761', name: 'User' },
    });
  });

  it('normalizes the documented sample (7-digit fraction, no locale)', () => {
    const message = onlyMessage(parseBotFrameworkActivity(readFileSync(fixturePath('botframework/botframework-2.json')), RECEIVED));
    expect(message.sentAt).toEqual(new Date('2016-10-19T20:17:52.289Z'));
    expect(message.text).toBe('Haircut on Saturday');
    expect(message.channelMessageId).toBe("channel's name/id:abcd1234:bf3cc9a2f5de...");
    expect(message.locale).toBeUndefined();
    expect(decodeReplyAddress(message.replyAddress)?.serviceUrl).toBe('https://smba.trafficmanager.net/apis');
  });

  it.each([
    ['conversationUpdate (fixture)', readJsonFixture('botframework/botframework-3-conversationUpdate.json'), 'activity type "conversationUpdate"'],
    ['typing', { ...userMessage(), type: 'typing', text: undefined }, 'activity type "typing"'],
    ['an invoke', { type: 'invoke', name: 'adaptiveCard/action' }, 'activity type "invoke"'],
    ['an empty message', { ...userMessage(), text: '  ' }, 'message with no text, value or attachment'],
  ])('acknowledges %s as unsupported', (_name, body, reason) => {
    expect(parse(body)).toEqual([{ kind: 'unsupported', reason }]);
  });

  it('takes the choice of a card submit or suggested action as text', () => {
    expect(onlyMessage(parse({ ...userMessage(), text: undefined, value: { choice: 'credit_card' } })).text).toBe('credit_card');
    expect(onlyMessage(parse({ ...userMessage(), text: '', value: 'yes' })).text).toBe('yes');
    expect(onlyMessage(parse({ ...userMessage(), text: 'typed', value: 'ignored' })).text).toBe('typed');
    expect(valueAsText({ product: 'card', amount: 12 })).toBe('{"product":"card","amount":12}');
    expect(valueAsText(7)).toBe('7');
    expect(valueAsText(null)).toBe('');
  });

  it('keeps files as references and cards as their content type, drops the html copy', () => {
    const message = onlyMessage(
      parse({
        ...userMessage(),
        text: undefined,
        attachments: [
          { contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/abc/views/original', name: 'receipt.png' },
          { contentType: 'application/pdf', contentUrl: 'https://example.sharepoint.com/statement.pdf' },
          { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
          { contentType: 'text/html', content: '<p>hi</p>' },
        ],
      }),
    );
    expect(message.text).toBe('');
    expect(message.attachments).toEqual([
      { type: 'image', url: 'https://smba.trafficmanager.net/amer/v3/attachments/abc/views/original', mimeType: 'image/png', name: 'receipt.png' },
      { type: 'document', url: 'https://example.sharepoint.com/statement.pdf', mimeType: 'application/pdf' },
      { type: 'other', mimeType: 'application/vnd.microsoft.card.adaptive' },
    ]);
  });

  it('never starts the clock in the future or on an unreadable timestamp', () => {
    expect(onlyMessage(parse({ ...userMessage(), timestamp: '2099-01-01T00:00:00Z' })).sentAt).toEqual(RECEIVED);
    expect(onlyMessage(parse({ ...userMessage(), timestamp: 'yesterday' })).sentAt).toEqual(RECEIVED);
    expect(onlyMessage(parse({ ...userMessage(), timestamp: undefined })).sentAt).toEqual(RECEIVED);
  });

  it('hashes keys that would pass 256 characters, deterministically, keeping the channel prefix', () => {
    const conversation = `19:${'a'.repeat(300)}@thread.tacv2`;
    const first = onlyMessage(parse({ ...userMessage(), channelId: 'msteams', conversation: { id: conversation.slice(0, 512) } }));
    const again = onlyMessage(parse({ ...userMessage(), channelId: 'msteams', conversation: { id: conversation.slice(0, 512) } }));
    expect(first.channelMessageId).toMatch(/^msteams:sha256:[0-9a-f]{64}$/);
    expect(first.conversationKey).toMatch(/^msteams:sha256:[0-9a-f]{64}$/);
    expect(first.channelMessageId).toBe(again.channelMessageId);
    expect(first.channelMessageId).not.toBe(first.conversationKey);
    expect(InboundMessage.safeParse(first).success).toBe(true);
    expect(boundedKey('webchat', 'a', 'b')).toBe('webchat:a:b');
  });

  it.each([
    ['not JSON', '{"type":'],
    ['an array', []],
    ['a number', 42],
    ['no type', { text: 'hi' }],
    ['a message without serviceUrl', { ...userMessage(), serviceUrl: undefined }],
    ['a message with a non-http serviceUrl', { ...userMessage(), serviceUrl: 'file:///etc/passwd' }],
    ['a message without conversation', { ...userMessage(), conversation: undefined }],
    ['a message without id', { ...userMessage(), id: undefined }],
    ['a message without from', { ...userMessage(), from: undefined }],
    ['a message with a numeric text', { ...userMessage(), text: 12 }],
    ['a message with an oversized conversation id', { ...userMessage(), conversation: { id: 'c'.repeat(600) } }],
  ])('refuses %s with PayloadInvalid (400)', (_name, body) => {
    const error = thrown(body);
    expect(isOmbudsError(error) && { code: error.code, status: error.httpStatus }).toEqual({ code: 'PAYLOAD_INVALID', status: 400 });
  });

  it('names the missing fields', () => {
    const error = thrown({ ...userMessage(), serviceUrl: undefined, recipient: undefined });
    expect(isOmbudsError(error) && error.details?.map((detail) => detail.path).sort()).toEqual(['recipient', 'serviceUrl']);
  });
});
