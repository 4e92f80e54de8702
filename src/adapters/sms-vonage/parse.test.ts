import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import { InboundMessage, type ParseResult } from '../../contracts/inbound-message.js';
import { parseVonageRequest } from './parse.js';

const RECEIVED_AT = new Date('2026-12-01T08:00:00.000Z');

function requestOf(body: string, contentType = 'application/json'): RawWebhookRequest {
  return { method: 'POST', path: '/webhooks/sms/vonage', headers: { 'content-type': contentType }, rawBody: Buffer.from(body, 'utf8') };
}

function fixture(name: string): RawWebhookRequest {
  return requestOf(readFileSync(fixturePath(`sms-vonage/${name}`), 'utf8'));
}

function messageOf(results: ParseResult[]): InboundMessage {
  expect(results).toHaveLength(1);
  const [result] = results;
  if (result?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
  expect(InboundMessage.safeParse(result.message).success).toBe(true);
  return result.message;
}

describe('parseVonageRequest', () => {
  it('reads vonage-sms-1 (the spec example): part 2 of 3, the customer as E.164, our number, the ISO timestamp', () => {
    const message = messageOf(parseVonageRequest(fixture('vonage-sms-1.json'), RECEIVED_AT));
    expect(message).toMatchObject({
      channel: 'sms_vonage',
      channelMessageId: '0A0000000123ABCD1',
      conversationKey: '+447700900001|447700900000',
      replyAddress: '+447700900001|447700900000',
      sender: { id: '+447700900001', phone: '+447700900001' },
      text: 'Hello world',
      attachments: [],
      part: { group: '447700900001|447700900000|1', index: 2, total: 3 },
    });
    expect(message.sentAt).toEqual(new Date('2020-01-01T12:00:00.000Z'));
    expect(message.receivedAt).toEqual(RECEIVED_AT);
    expect(message.raw).toMatchObject({ keyword: 'Hello', nonce: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab', udh: 'abc123' });
  });

  it('reads vonage-sms-2-concat-part (a signed unicode part): part 1 of 9, the "YYYY-MM-DD HH:MM:SS" UTC timestamp', () => {
    const message = messageOf(parseVonageRequest(fixture('vonage-sms-2-concat-part.json'), RECEIVED_AT));
    expect(message).toMatchObject({
      channelMessageId: '0B000000D0EBB58D',
      sender: { id: '+447700900419', phone: '+447700900419' },
      replyAddress: '+447700900419|447700900996',
      text: 'Lorem Ipsum is simply dummy text of the printing and typesetting in',
      part: { group: '447700900419|447700900996|78', index: 1, total: 9 },
    });
    expect(message.sentAt).toEqual(new Date('2018-04-24T14:05:19.000Z'));
  });

  it('reads a form body like the JSON one, and a message that is not a part', () => {
    const params = { msisdn: '447700900123', to: '447700900999', messageId: '0C00000012345678', text: 'My card was declined', type: 'text', 'message-timestamp': '2026-12-01 07:59:58' };
    const fromForm = messageOf(parseVonageRequest(requestOf(new URLSearchParams(params).toString(), 'application/x-www-form-urlencoded'), RECEIVED_AT));
    const fromJson = messageOf(parseVonageRequest(requestOf(JSON.stringify(params)), RECEIVED_AT));
    expect(fromForm).toEqual(fromJson);
    expect(fromJson.part).toBeUndefined();
    expect(fromJson.sentAt).toEqual(new Date('2026-12-01T07:59:58.000Z'));
  });

  it('takes a part whose numbers do not add up as a message of its own, and never dates a message after its receipt', () => {
    const base = { msisdn: '447700900123', to: '447700900999', messageId: '0C00000012345679', text: 'Hi', type: 'text' };
    for (const concat of [{ 'concat-part': '4', 'concat-total': '3' }, { 'concat-part': '0', 'concat-total': '3' }, { 'concat-part': '1', 'concat-total': '1' }, { 'concat-part': 'x', 'concat-total': '2' }]) {
      const message = messageOf(parseVonageRequest(requestOf(JSON.stringify({ ...base, concat: 'true', 'concat-ref': '5', ...concat })), RECEIVED_AT));
      expect(message.part).toBeUndefined();
    }
    for (const timestamp of ['2030-01-01 00:00:00', '0000-12-31 23:59:59', 'yesterday']) {
      const odd = messageOf(parseVonageRequest(requestOf(JSON.stringify({ ...base, 'message-timestamp': timestamp })), RECEIVED_AT));
      expect(odd.sentAt, timestamp).toEqual(RECEIVED_AT);
    }
  });

  it('keeps what the database cannot store (NUL, a lone surrogate) out of the message, as U+FFFD', () => {
    const body = '{"msisdn":"447700900123","to":"447700900999","messageId":"0C0000001234567A","text":"a\\u0000b\\ud800c","type":"unicode"}';
    const message = messageOf(parseVonageRequest(requestOf(body), RECEIVED_AT));
    expect(message.text).toBe('a\uFFFDb\uFFFDc');
    expect(message.raw).toMatchObject({ text: 'a\uFFFDb\uFFFDc' });
  });

  it.each([
    ['delivered', 'delivered'],
    ['failed', 'failed'],
    ['rejected', 'failed'],
    ['expired', 'failed'],
    ['accepted', 'sent'],
  ] as const)('turns a delivery receipt "%s" into a %s status', (reported, status) => {
    const receipt = { msisdn: '447700900123', to: '447700900999', 'network-code': '23410', messageId: '0D00000012345678', price: '0.0333', status: reported, scts: '2612010800', 'err-code': '0' };
    expect(parseVonageRequest(requestOf(JSON.stringify(receipt)), RECEIVED_AT)).toEqual([{ kind: 'status', channelMessageId: '0D00000012345678', status, at: RECEIVED_AT }]);
  });

  it('acknowledges binary SMS and unknown receipts as unsupported', () => {
    const binary = parseVonageRequest(requestOf(JSON.stringify({ msisdn: '447700900123', to: '447700900999', messageId: '0E00000012345678', type: 'binary', data: 'abc123', udh: '050003' })), RECEIVED_AT);
    expect(binary[0]?.kind).toBe('unsupported');
    const unknown = parseVonageRequest(requestOf(JSON.stringify({ messageId: '0E00000012345679', status: 'unknown', msisdn: '447700900123' })), RECEIVED_AT);
    expect(unknown[0]?.kind).toBe('unsupported');
  });

  it.each([
    ['an empty body', ''],
    ['a JSON array', '[{"messageId":"1"}]'],
    ['nested values', '{"messageId":"0A1","msisdn":{"a":1}}'],
    ['no messageId', '{"msisdn":"447700900123","text":"hi"}'],
    ['a messageId with punctuation', '{"messageId":"<script>","text":"hi"}'],
  ])('refuses %s with PayloadInvalid', (_name, body) => {
    expect(() => parseVonageRequest(requestOf(body), RECEIVED_AT)).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID', httpStatus: 400 }) as Error);
  });
});
