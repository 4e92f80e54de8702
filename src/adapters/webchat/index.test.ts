/** The web chat adapter's own behaviour beyond the contract: ids scoped by session, receipts, the signalling sender. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/support/fixtures.js';
import type { RawWebhookRequest } from '../../contracts/channel-adapter.js';
import type { OutboundDelivery } from '../../contracts/handling.js';
import { fixedClock } from '../../shared/clock.js';
import { createWebChatAdapter, clientMessageIdOf, webChatTopic, type WebChatSignal } from './index.js';

const SECRET = 'unit-webchat-session-secret-0123456789abcdef';
const AT = new Date('2026-12-01T08:00:00.000Z');

function adapterWith(publish: (sessionId: string, signal: WebChatSignal) => Promise<void> = () => Promise.resolve()) {
  return createWebChatAdapter({ sessionSecret: SECRET, sessionTtlMs: 3_600_000, clock: fixedClock(AT), publish });
}

function request(token: string, body: string | Buffer, path = '/chat/messages'): RawWebhookRequest {
  return { method: 'POST', path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

function delivery(replyAddress: string): OutboundDelivery {
  return {
    messageId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    channel: 'webchat',
    conversationKey: replyAddress,
    replyAddress,
    text: 'Thank you.',
    quickReplies: [],
    complaintReference: null,
    purpose: 'acknowledgement',
    language: 'en',
    attempt: 1,
  };
}

describe('web chat parse and normalize', () => {
  it('makes the session the conversation, reply address and sender, and keys the message on session and client id', () => {
    const adapter = adapterWith();
    const session = adapter.sessions.start();
    const results = adapter.parse(request(session.token, readFileSync(fixturePath('webchat/webchat-1-zh-message.json'))), AT);
    expect(results).toEqual([
      {
        kind: 'message',
        message: {
          channel: 'webchat',
          channelMessageId: `${session.sessionId}:m-7f3a9c2e-0001`,
          conversationKey: session.sessionId,
          sender: { id: session.sessionId },
          sentAt: AT,
          receivedAt: AT,
          text: expect.stringContaining('信用卡账单'),
          attachments: [],
          locale: 'zh-CN',
          replyAddress: session.sessionId,
          raw: expect.objectContaining({ clientMessageId: 'm-7f3a9c2e-0001' }),
        },
      },
    ]);
  });

  it('gives two sessions that pick the same client id two different messages', () => {
    const adapter = adapterWith();
    const body = '{"clientMessageId":"m-1","text":"hello"}';
    const [first] = adapter.parse(request(adapter.sessions.start().token, body), AT);
    const [second] = adapter.parse(request(adapter.sessions.start().token, body), AT);
    if (first?.kind !== 'message' || second?.kind !== 'message') throw new Error('expected messages');
    expect(first.message.channelMessageId).not.toBe(second.message.channelMessageId);
    expect(clientMessageIdOf(first.message.conversationKey, first.message.channelMessageId)).toBe('m-1');
    expect(clientMessageIdOf(second.message.conversationKey, first.message.channelMessageId)).toBeUndefined();
  });

  it('turns a receipt frame into one delivered status per distinct message id, and refuses anything else', () => {
    const adapter = adapterWith();
    const token = adapter.sessions.start().token;
    const receipts = adapter.parseReceipts(request(token, readFileSync(fixturePath('webchat/webchat-receipts-1.json')), '/chat/receipts'), AT);
    expect(receipts).toEqual([
      { kind: 'status', channelMessageId: '0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41', status: 'delivered', at: AT },
      { kind: 'status', channelMessageId: '5d2c8f10-1a3b-4c5d-8e9f-0a1b2c3d4e5f', status: 'delivered', at: AT },
    ]);
    const twice = adapter.parseReceipts(request(token, '{"messageIds":["0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41","0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41"]}'), AT);
    expect(twice).toHaveLength(1);
    for (const body of ['{"messageIds":[]}', '{"messageIds":["not-a-uuid"]}', `{"messageIds":${JSON.stringify(Array.from({ length: 101 }, () => '0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41'))}}`, '{}', 'null']) {
      expect(() => adapter.parseReceipts(request(token, body), AT), body.slice(0, 30)).toThrow(expect.objectContaining({ code: 'PAYLOAD_INVALID' }));
    }
  });

  it('names the over-long field in a 400 with details', () => {
    const adapter = adapterWith();
    const token = adapter.sessions.start().token;
    let thrown: unknown;
    try {
      adapter.parse(request(token, JSON.stringify({ clientMessageId: 'm1', text: '长'.repeat(4001) })), AT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'PAYLOAD_INVALID', httpStatus: 400, details: [{ path: 'text', message: expect.stringContaining('4000') }] });
    expect(adapter.parse(request(token, JSON.stringify({ clientMessageId: 'm1', text: '长'.repeat(4000) })), AT)).toHaveLength(1);
  });
});

describe('web chat sender', () => {
  it('signals the session and reports our message id as the vendor id', async () => {
    const signals: [string, WebChatSignal][] = [];
    const adapter = adapterWith((sessionId, signal) => {
      signals.push([sessionId, signal]);
      return Promise.resolve();
    });
    const sessionId = adapter.sessions.start().sessionId;
    expect(await adapter.sender.send(delivery(sessionId))).toEqual({ ok: true, vendorMessageId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' });
    expect(signals).toEqual([[sessionId, 'message']]);
    expect(webChatTopic(sessionId)).toBe(`webchat:${sessionId}`);
  });

  it('asks for a retry when the signal cannot be published, and fails at once for an address that is no session', async () => {
    const adapter = adapterWith(() => Promise.reject(new Error('Redis PUBLISH took over 2000 ms')));
    const sessionId = adapter.sessions.start().sessionId;
    expect(await adapter.sender.send(delivery(sessionId))).toEqual({ ok: false, retryable: true, error: expect.stringContaining('Redis PUBLISH') });
    expect(await adapter.sender.send(delivery('customer-42'))).toMatchObject({ ok: false, retryable: false });
  });
});
