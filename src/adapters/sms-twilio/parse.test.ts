import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, readJsonFixture } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { InboundMessage, type ParseResult } from '../../contracts/inbound-message.js';
import { parseTwilioRequest } from './parse.js';

const RECEIVED_AT = new Date('2026-12-01T08:00:00.000Z');

function requestOf(body: string): RawWebhookRequest {
  return { method: 'POST', path: '/webhooks/sms/twilio', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: Buffer.from(body, 'utf8') };
}

function fixture(name: string): RawWebhookRequest {
  return requestOf(readFileSync(fixturePath(`sms-twilio/${name}`), 'utf8'));
}

function messageOf(results: ParseResult[]): InboundMessage {
  expect(results).toHaveLength(1);
  const [result] = results;
  if (result?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  expect(InboundMessage.safeParse(result.message).success).toBe(true);
  return result.message;
}

describe('parseTwilioRequest', () => {
  it('reads twilio-sms-1 (a real capture): the sid, the customer as E.164 phone, our number, the text, the receipt time', () => {
    const message = messageOf(parseTwilioRequest(fixture('twilio-sms-1.form'), RECEIVED_AT));
    expect(message).toMatchObject({
      channel: 'sms_twilio',
      channelMessageId: 'SMa741ddeb574e5dda5516c73417fcd28a',
      conversationKey: '+13177592786|+13177933221',
      replyAddress: '+13177592786|+13177933221',
      sender: { id: '+13177592786', phone: '+13177592786' },
      text: 'Hi there from Twilio',
      attachments: [],
    });
    // Twilio sends no timestamp: sent and received are the receipt.
    expect(message.sentAt).toEqual(RECEIVED_AT);
    expect(message.receivedAt).toEqual(RECEIVED_AT);
    expect(message.part).toBeUndefined();
    // Every parameter is kept, decoded, as the JSON twin lists them.
    expect(message.raw).toEqual(readJsonFixture('sms-twilio/twilio-sms-1.json'));
  });

  it('reads twilio-sms-2-media (MMS without a body): both media as attachment references', () => {
    const message = messageOf(parseTwilioRequest(fixture('twilio-sms-2-media.form'), RECEIVED_AT));
    expect(message).toMatchObject({
      channelMessageId: 'SMe287d7109a5a925f182f0e07fe5b223b',
      sender: { id: '+14133881111', phone: '+14133881111' },
      replyAddress: '+14133881111|+12028831111',
      text: '',
      attachments: [
        { type: 'image', url: 'cat.jpg' },
        { type: 'image', url: 'dog.jpg' },
      ],
    });
    expect(message.raw).toEqual(readJsonFixture('sms-twilio/twilio-sms-2-media.json'));
  });

  it('reads twilio-sms-3: a plain text message', () => {
    const message = messageOf(parseTwilioRequest(fixture('twilio-sms-3.form'), RECEIVED_AT));
    expect(message).toMatchObject({ channelMessageId: 'SMe287d7109a5a925f182f0e07fe5b223b', text: 'Msg', sender: { phone: '+14133881111' } });
  });

  it('reads media content types and sids, a Messaging Service as the reply sender, and a WhatsApp sender\'s number', () => {
    const body = new URLSearchParams({
      MessageSid: 'MM0123456789abcdef0123456789abcdef',
      AccountSid: 'AC0123456789abcdef0123456789abcdef',
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      From: 'whatsapp:+447700900123',
      To: 'whatsapp:+447700900999',
      ProfileName: 'Ann',
      Body: 'Photo of the receipt',
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM0123456789abcdef0123456789abcdef/Media/ME0123456789abcdef0123456789abcdef',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://example.com/statement.pdf',
      MediaContentType1: 'application/pdf',
      SmsStatus: 'received',
    }).toString();
    const message = messageOf(parseTwilioRequest(requestOf(body), RECEIVED_AT));
    expect(message.sender).toEqual({ id: 'whatsapp:+447700900123', displayName: 'Ann', phone: '+447700900123' });
    expect(message.replyAddress).toBe('whatsapp:+447700900123|MG0123456789abcdef0123456789abcdef');
    expect(message.attachments).toEqual([
      { type: 'image', url: expect.stringContaining('/Media/ME0123') as string, id: 'ME0123456789abcdef0123456789abcdef', mimeType: 'image/jpeg' },
      { type: 'document', url: 'https://example.com/statement.pdf', mimeType: 'application/pdf' },
    ]);
  });

  it.each([
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'failed'],
    ['failed', 'failed'],
    ['sent', 'sent'],
  ] as const)('turns a status callback "%s" into a %s status for the sid Ombuds sent', (reported, status) => {
    const body = `SmsSid=SM0123456789abcdef0123456789abcdef&SmsStatus=${reported}&MessageStatus=${reported}&To=%2B447700900123&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B447700900999&ApiVersion=2010-04-01`;
    expect(parseTwilioRequest(requestOf(body), RECEIVED_AT)).toEqual([{ kind: 'status', channelMessageId: 'SM0123456789abcdef0123456789abcdef', status, at: RECEIVED_AT }]);
  });

  it('keeps what the database cannot store (NUL) out of the message, as U+FFFD', () => {
    const message = messageOf(parseTwilioRequest(requestOf('MessageSid=SM1abc&AccountSid=AC1&From=%2B447700900123&To=%2B447700900999&Body=a%00b'), RECEIVED_AT));
    expect(message.text).toBe('a\uFFFDb');
    expect(message.raw).toMatchObject({ Body: 'a\uFFFDb' });
  });

  it('acknowledges interim statuses and empty messages as unsupported', () => {
    const queued = parseTwilioRequest(requestOf('MessageSid=SM1abc&AccountSid=AC1&MessageStatus=queued'), RECEIVED_AT);
    expect(queued).toEqual([{ kind: 'unsupported', reason: expect.stringContaining('queued') as string }]);
    const empty = parseTwilioRequest(requestOf('MessageSid=SM1abc&AccountSid=AC1&From=%2B447700900123&To=%2B447700900999&Body=&NumMedia=0'), RECEIVED_AT);
    expect(empty[0]?.kind).toBe('unsupported');
  });

  it.each([
    ['an empty body', ''],
    ['a form without a message sid', 'AccountSid=AC1&Body=hi'],
    ['JSON', '{"MessageSid":"SM1"}'],
  ])('refuses %s with PayloadInvalid', (_name, body) => {
    expect(() => parseTwilioRequest(requestOf(body), RECEIVED_AT)).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID', httpStatus: 400 }) as Error);
  });
});
