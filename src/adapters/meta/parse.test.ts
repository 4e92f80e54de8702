/**
 * Tests for parse.ts and the normalizers: every project fixture parses to the expected InboundMessage (or receipt),
 * and the shapes the fixtures lack — interactive replies, template buttons, locations, batches, receipts of every
 * status, Messenger quick replies, postbacks, echoes and delivery events — parse as CHANNELS.md §4 says.
 */
import { describe, expect, it } from 'vitest';
import { messengerMessage, messengerPayload, metaFixtures, metaJson, metaWebhookRequest, whatsAppPayload, whatsAppStatus } from '../../../test/support/fake-meta.js';
import type { InboundMessage, ParseResult } from '../../contracts/inbound-message.js';
import { parseMetaRequest } from './parse.js';

const RECEIVED_AT = new Date('2026-12-01T08:00:00.000Z');
const FIXTURE_SENT_AT = new Date(1_454_119_029 * 1000);

function parseBody(body: Buffer | string | Record<string, unknown>): ParseResult[] {
  const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : metaJson(body);
  return parseMetaRequest(metaWebhookRequest(bytes), RECEIVED_AT);
}

function fixture(name: string): Buffer {
  const found = [...metaFixtures('whatsapp'), ...metaFixtures('messenger')].find((item) => item.name.endsWith(`/${name}`));
  if (!found) throw new Error(`no fixture ${name}`);
  return found.body;
}

function messages(results: ParseResult[]): InboundMessage[] {
  return results.flatMap((result) => (result.kind === 'message' ? [result.message] : []));
}

function only(results: ParseResult[]): InboundMessage {
  const found = messages(results);
  expect(found).toHaveLength(1);
  return found[0] as InboundMessage;
}

describe('parseMetaRequest: the WhatsApp fixtures', () => {
  it('whatsapp-1: a text message from a phone number, replied to from the business number it was sent to', () => {
    const message = only(parseBody(fixture('whatsapp-1.json')));
    expect(message).toMatchObject({
      channel: 'whatsapp',
      channelMessageId: 'external_id',
      conversationKey: '1234567890:5678',
      sender: { id: '5678', displayName: 'Kerry Fisher', phone: '+5678' },
      text: 'Hello World',
      attachments: [],
      replyAddress: 'whatsapp:1234567890:5678',
      sentAt: FIXTURE_SENT_AT,
      receivedAt: RECEIVED_AT,
    });
    expect(message.raw).toMatchObject({ object: 'whatsapp_business_account', entryId: '8856996819413533', metadata: { phone_number_id: '1234567890' }, message: { id: 'external_id' } });
  });

  it('whatsapp-2: an image, as a reference with its media id, the caption as the text', () => {
    const message = only(parseBody(fixture('whatsapp-2.json')));
    expect(message.text).toBe('Check out my new phone!');
    expect(message.attachments).toEqual([{ type: 'image', id: 'id_image', mimeType: 'image/jpeg' }]);
  });

  it('whatsapp-3: a status is a receipt for the message Ombuds sent, not a message', () => {
    expect(parseBody(fixture('whatsapp-3-status.json'))).toEqual([{ kind: 'status', channelMessageId: 'external_id', status: 'sent', at: FIXTURE_SENT_AT }]);
  });

  it('whatsapp-4: a document with its caption', () => {
    const message = only(parseBody(fixture('whatsapp-4-document.json')));
    expect(message.text).toBe('80skaraokesonglistartist');
    expect(message.attachments).toEqual([{ type: 'document', id: 'id_document', mimeType: 'application/pdf' }]);
  });

  it('whatsapp-5: a voice note, as audio, with no text', () => {
    const message = only(parseBody(fixture('whatsapp-5-voice.json')));
    expect(message.text).toBe('');
    expect(message.attachments).toEqual([{ type: 'audio', id: 'id_voice', name: 'voice message', mimeType: 'audio/ogg; codecs=opus' }]);
  });

  it('whatsapp-6: a username beside the phone number: the phone stays the identity, the username joins the name', () => {
    const message = only(parseBody(fixture('whatsapp-6-username-user-id.json')));
    expect(message.sender).toEqual({ id: '5678', displayName: 'Kerry Fisher (@kfisher)', phone: '+5678' });
    expect(message.replyAddress).toBe('whatsapp:1234567890:5678');
  });

  it('whatsapp-7: no from and no wa_id: the sender is the business-scoped user id, with no phone', () => {
    const message = only(parseBody(fixture('whatsapp-7-from-bsuid.json')));
    expect(message.sender).toEqual({ id: 'US.1234', displayName: 'Kerry Fisher (@kfisher)' });
    expect(message).toMatchObject({ conversationKey: '1234567890:US.1234', replyAddress: 'whatsapp:1234567890:US.1234', text: 'Hello World' });
  });
});

describe('parseMetaRequest: the Messenger fixtures', () => {
  it('messenger-1: a text message from a page-scoped id, with millisecond timestamps', () => {
    const message = only(parseBody(fixture('messenger-1.json')));
    expect(message).toMatchObject({
      channel: 'messenger',
      channelMessageId: 'external_id',
      conversationKey: '1234567890:5678',
      sender: { id: '5678' },
      text: 'Hello World',
      replyAddress: 'messenger:1234567890:5678',
      sentAt: new Date(1_459_991_487_970),
    });
    expect(message.sender.phone).toBeUndefined();
    expect(message.raw).toMatchObject({ object: 'page', entryId: '1234567890', event: { message: { mid: 'external_id' } } });
  });

  it('messenger-2: an image attachment by URL, no text', () => {
    const message = only(parseBody(fixture('messenger-2-attachment.json')));
    expect(message.text).toBe('');
    expect(message.attachments).toEqual([{ type: 'image', url: 'https://image-url/foo.png' }]);
  });

  it('messenger-3: the same mid twice in one POST is one message', () => {
    const results = parseBody(fixture('messenger-3-duplicate.json'));
    expect(results).toHaveLength(1);
    expect(only(results).channelMessageId).toBe('external_id');
  });
});

describe('parseMetaRequest: WhatsApp shapes beyond the fixtures', () => {
  it('reads every message of every change of every entry, in order, with statuses beside them', () => {
    const first = whatsAppPayload([{ id: 'wamid.A', from: '447700900001', text: 'one' }, { id: 'wamid.B', from: '447700900002', text: 'two' }]);
    const second = whatsAppPayload([{ id: 'wamid.C', from: '447700900003', text: 'three' }], [whatsAppStatus('wamid.OUT1', 'delivered', '447700900003', 1_764_000_000)], '999');
    const batch = { object: 'whatsapp_business_account', entry: [...(first.entry as unknown[]), ...(second.entry as unknown[])] };
    const results = parseBody(batch);
    expect(messages(results).map((message) => [message.channelMessageId, message.text, message.replyAddress])).toEqual([
      ['wamid.A', 'one', 'whatsapp:1234567890:447700900001'],
      ['wamid.B', 'two', 'whatsapp:1234567890:447700900002'],
      ['wamid.C', 'three', 'whatsapp:999:447700900003'],
    ]);
    expect(messages(results).map((message) => message.sender.phone)).toEqual(['+447700900001', '+447700900002', '+447700900003']);
    expect(results.filter((result) => result.kind === 'status')).toEqual([{ kind: 'status', channelMessageId: 'wamid.OUT1', status: 'delivered', at: new Date(1_764_000_000_000) }]);
  });

  it.each(['sent', 'delivered', 'read', 'failed'] as const)('turns a %s status into a receipt', (status) => {
    expect(parseBody(whatsAppPayload([], [whatsAppStatus('wamid.X', status, '1', 1_764_000_000)]))).toEqual([{ kind: 'status', channelMessageId: 'wamid.X', status, at: new Date(1_764_000_000_000) }]);
  });

  it('counts statuses it does not record (deleted, warning) as unsupported', () => {
    expect(parseBody(whatsAppPayload([], [whatsAppStatus('wamid.X', 'deleted')]))).toEqual([{ kind: 'unsupported', reason: 'whatsapp status "deleted" is not handled' }]);
  });

  it('takes a tapped reply button and list row as their ids, so a quick reply comes back as its value', () => {
    const payload = whatsAppPayload([
      { id: 'wamid.B1', from: '447700900001', content: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'date:yesterday', title: 'Yesterday' } } } },
      { id: 'wamid.L1', from: '447700900001', content: { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'product:cards', title: 'Cards', description: 'x' } } } },
      { id: 'wamid.T1', from: '447700900001', content: { type: 'button', button: { text: 'Yes please', payload: 'yes' } } },
    ]);
    expect(messages(parseBody(payload)).map((message) => message.text)).toEqual(['date:yesterday', 'product:cards', 'yes']);
  });

  it('takes every media type as a reference, and a location as coordinates', () => {
    const media = (type: string, extra: Record<string, unknown> = {}) => ({ type, [type]: { id: `media-${type}`, mime_type: 'application/octet-stream', ...extra } });
    const payload = whatsAppPayload([
      { id: 'wamid.V', from: '4477', content: media('video', { caption: 'see this' }) },
      { id: 'wamid.AU', from: '4477', content: media('audio') },
      { id: 'wamid.D', from: '4477', content: media('document', { filename: 'statement.pdf' }) },
      { id: 'wamid.S', from: '4477', content: media('sticker') },
      { id: 'wamid.LOC', from: '4477', content: { type: 'location', location: { latitude: 51.5, longitude: -0.12, name: 'Branch', address: 'High St' } } },
    ]);
    expect(messages(parseBody(payload)).map((message) => [message.text, message.attachments])).toEqual([
      ['see this', [{ type: 'video', id: 'media-video', mimeType: 'application/octet-stream' }]],
      ['', [{ type: 'audio', id: 'media-audio', mimeType: 'application/octet-stream' }]],
      ['', [{ type: 'document', id: 'media-document', name: 'statement.pdf', mimeType: 'application/octet-stream' }]],
      ['', [{ type: 'other', id: 'media-sticker', name: 'sticker', mimeType: 'application/octet-stream' }]],
      ['', [{ type: 'location', id: '51.5,-0.12', name: 'Branch, High St' }]],
    ]);
  });

  it('counts reactions, contacts, unknown types and malformed items as unsupported, keeping the good messages of the batch', () => {
    const payload = whatsAppPayload([
      { id: 'wamid.R', from: '4477', content: { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } } },
      { id: 'wamid.OK', from: '4477', text: 'still here' },
      { id: 'wamid.U', from: '4477', content: { type: 'unsupported', errors: [{ code: 131051 }] } },
    ]);
    const value = ((payload.entry as { changes: { value: { messages: unknown[] } }[] }[])[0]?.changes[0]?.value) as { messages: unknown[] };
    value.messages.push({ from: '4477', type: 'text', text: { body: 'no id' }, timestamp: '1' });
    const results = parseBody(payload);
    expect(messages(results).map((message) => message.channelMessageId)).toEqual(['wamid.OK']);
    const reasons = results.flatMap((result) => (result.kind === 'unsupported' ? [result.reason] : []));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toBe('whatsapp message type "reaction" is not handled');
    expect(reasons[2]).toMatch(/does not match the documented shape: id/);
  });

  it('keeps Chinese text that Meta escaped, and uses a millisecond timestamp as milliseconds', () => {
    const payload = whatsAppPayload([{ id: 'wamid.ZH', from: '8613800138000', text: '我的信用卡被盗刷了', timestamp: 1_764_000_000_123 }]);
    const message = only(parseBody(payload));
    expect(message.text).toBe('我的信用卡被盗刷了');
    expect(message.sender.phone).toBe('+8613800138000');
    expect(message.sentAt).toEqual(new Date(1_764_000_000_123));
  });

  it('takes U+0000 out of every string (PostgreSQL cannot store it), and ignores an entry id that is not a string', () => {
    const payload = whatsAppPayload([{ id: 'wamid.N\u0000UL', from: '4477', name: 'Ann\u0000', text: 'my card\u0000 was blocked' }]);
    (payload.entry as Record<string, unknown>[])[0] = { ...(payload.entry as Record<string, unknown>[])[0], id: 42 };
    const message = only(parseBody(payload));
    expect(message).toMatchObject({ channelMessageId: 'wamid.NUL', text: 'my card was blocked', sender: { displayName: 'Ann' } });
    expect(JSON.stringify(message.raw)).not.toContain('\\u0000');
    expect(message.raw).toMatchObject({ entryId: undefined });
  });

  it('never dates a message after its receipt', () => {
    const message = only(parseBody(whatsAppPayload([{ id: 'wamid.F', from: '4477', timestamp: 4_000_000_000 }])));
    expect(message.sentAt).toEqual(RECEIVED_AT);
  });

  it('counts other webhook fields and a change without messages as unsupported', () => {
    const payload = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }, { field: 'messages', value: { messaging_product: 'whatsapp' } }] }] };
    expect(parseBody(payload)).toEqual([
      { kind: 'unsupported', reason: 'whatsapp webhook field "account_update" is not handled' },
      { kind: 'unsupported', reason: 'whatsapp change without messages or statuses' },
    ]);
  });
});

describe('parseMetaRequest: Messenger shapes beyond the fixtures', () => {
  it('takes a tapped quick reply as its payload and a postback as its payload', () => {
    const payload = messengerPayload([
      messengerMessage({ mid: 'm_1', psid: '900', text: 'Yesterday', quickReply: 'date:yesterday' }),
      { sender: { id: '900' }, recipient: { id: '1234567890' }, timestamp: 1_764_000_000_000, postback: { mid: 'm_2', title: 'Get Started', payload: 'GET_STARTED' } },
      { sender: { id: '900' }, recipient: { id: '1234567890' }, timestamp: 1_764_000_000_001, postback: { title: 'Talk to us' } },
    ]);
    expect(messages(parseBody(payload)).map((message) => [message.channelMessageId, message.text])).toEqual([
      ['m_1', 'date:yesterday'],
      ['m_2', 'GET_STARTED'],
      ['postback:900:1764000000001', 'Talk to us'],
    ]);
  });

  it('ignores echoes, delivery and read events, and counts them', () => {
    const payload = messengerPayload([
      { sender: { id: '1234567890' }, recipient: { id: '900' }, timestamp: 1, message: { mid: 'm_echo', text: 'our own reply', is_echo: true, app_id: 1 } },
      { sender: { id: '900' }, recipient: { id: '1234567890' }, timestamp: 2, delivery: { mids: ['m_out'], watermark: 2 } },
      { sender: { id: '900' }, recipient: { id: '1234567890' }, timestamp: 3, read: { watermark: 3 } },
      { sender: { user_ref: 'plugin-ref' }, recipient: { id: '1234567890' }, timestamp: 4, optin: { ref: 'x' } },
    ]);
    expect(parseBody(payload).map((result) => (result.kind === 'unsupported' ? result.reason : result.kind))).toEqual([
      'messenger echo of a message the page sent',
      'messenger event "delivery" is not handled',
      'messenger event "read" is not handled',
      expect.stringMatching(/^messenger event 3 does not match the documented shape: sender\.id/),
    ]);
  });

  it('takes file, video, audio, location and sticker attachments, dropping a URL too long to keep', () => {
    const payload = messengerPayload([
      {
        sender: { id: '900' },
        recipient: { id: '1234567890' },
        timestamp: 5,
        message: {
          mid: 'm_att',
          attachments: [
            { type: 'file', payload: { url: 'https://cdn.example/statement.pdf' } },
            { type: 'video', payload: { url: `https://cdn.example/${'v'.repeat(3000)}` } },
            { type: 'location', payload: { coordinates: { lat: 31.2, long: 121.5 } } },
            { type: 'image', payload: { url: 'https://cdn.example/sticker.png', sticker_id: 369239263222822 } },
            { type: 'fallback', payload: null },
          ],
        },
      },
    ]);
    expect(only(parseBody(payload)).attachments).toEqual([
      { type: 'document', url: 'https://cdn.example/statement.pdf' },
      { type: 'video' },
      { type: 'location', id: '31.2,121.5', name: 'location' },
      { type: 'other', id: '369239263222822', url: 'https://cdn.example/sticker.png', name: 'sticker' },
      { type: 'other' },
    ]);
  });
});

describe('parseMetaRequest: the envelope', () => {
  it('counts another object (Instagram, user, permissions) as unsupported', () => {
    expect(parseBody({ object: 'instagram', entry: [{ id: '1', messaging: [] }] })).toEqual([{ kind: 'unsupported', reason: 'meta webhook object "instagram" is not handled' }]);
    expect(parseBody({ object: 'page', entry: [] })).toEqual([{ kind: 'unsupported', reason: 'meta webhook with no entries' }]);
  });

  it.each([
    ['not JSON', '{"object":'],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['no entry', '{"object":"page"}'],
    ['entry not an array', '{"object":"page","entry":{}}'],
    ['an entry that is not an object', '{"object":"page","entry":[1]}'],
    ['messaging not an array', '{"object":"page","entry":[{"messaging":"x"}]}'],
    ['object not a string', '{"object":1,"entry":[]}'],
    ['nested 200,000 deep', `{"object":"page","entry":[{"messaging":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}]}`],
  ])('refuses %s with PayloadInvalid', (_name, body) => {
    expect(() => parseBody(body)).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID', httpStatus: 400 }) as Error);
  });
});
