/**
 * Reading a stored (redacted) call back: loose on purpose — a field of the wrong type takes its default, turns that
 * are not all objects read as none — and what the agent confirmed wins over the customer's words.
 */
import { describe, expect, it } from 'vitest';
import type { InboundMessageRow } from '../store/index.js';
import { readCallRecord } from './call-record.js';

const message: InboundMessageRow = {
  id: '00000000-0000-4000-8000-000000000001',
  channel: 'hotline',
  channelMessageId: 'call:c-1',
  conversationKey: 'call:c-1',
  complaintId: '00000000-0000-4000-8000-000000000002',
  sender: { id: '+8613800138000', phone: '+8613800138000' },
  text: 'I lost about 100 dollars',
  attachments: [],
  fields: { takenBy: 'Ann' },
  locale: 'en-US',
  replyAddress: '+8613800138000',
  sentAt: new Date('2026-11-02T09:00:00Z'),
  receivedAt: new Date('2026-11-02T09:00:00Z'),
  status: 'pending',
  attempts: 0,
  identifierHashes: [],
  textContacts: [],
};

describe('readCallRecord', () => {
  it('reads the stored transcript, preferring the amount the agent confirmed', () => {
    const raw = {
      format: 'twilio_vi',
      callId: 'c-1',
      startedAt: '2026-11-02T09:00:00.000Z',
      durationMs: 90_000,
      turns: [
        { role: 'customer', text: 'I lost about 100 dollars', startMs: 0 },
        { role: 'agent', text: 'So that is 250 dollars charged twice, correct?', startMs: 5_000 },
      ],
    };
    const call = readCallRecord(message, raw, 'Asia/Shanghai');
    expect(call).toMatchObject({ callId: 'c-1', format: 'twilio_vi', startedAt: '2026-11-02T09:00:00.000Z', durationMs: 90_000, takenBy: 'Ann' });
    expect(call.message.fields?.amount).toEqual({ value: 250, currency: 'USD' });
    expect(call.confirmedByAgent).toContain('amount');
    expect(call.wholeText).toBe('I lost about 100 dollars\nSo that is 250 dollars charged twice, correct?');
  });

  it('takes defaults for fields of the wrong type and an unknown role, and no turns when one is not an object', () => {
    const loose = readCallRecord(message, { format: 7, callId: ['x'], startedAt: 1, durationMs: 'long', turns: [{ role: 'supervisor', text: 5 }, { role: 'agent', text: 'hello' }] }, 'UTC');
    expect(loose).toMatchObject({ format: 'unknown', callId: null, startedAt: null, durationMs: null });
    expect(loose.wholeText).toBe('\nhello');
    const broken = readCallRecord(message, { format: 'srt', turns: [{ role: 'agent', text: 'hello' }, 'not a turn'] }, 'UTC');
    expect(broken.format).toBe('srt');
    // No turns: the customer's text stands for the call.
    expect(broken.wholeText).toBe(message.text);
    expect(readCallRecord(message, null, 'UTC')).toMatchObject({ format: 'unknown', callId: null, wholeText: message.text });
  });
});
