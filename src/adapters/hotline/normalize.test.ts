import { describe, expect, it } from 'vitest';
import { InboundMessage, Transcript } from '../../contracts/index.js';
import { callKeyOf, canonicalReferences, toE164, transcriptToInbound } from './normalize.js';

const HASH = 'a'.repeat(64);
const IMPORTED_AT = new Date('2026-03-20T08:00:00Z');

function call(overrides: Partial<Transcript> = {}): Transcript {
  return Transcript.parse({
    format: 'contact_lens',
    callId: 'c-123',
    startedAt: '2026-03-10T09:30:00+08:00',
    durationMs: 185_000,
    customerPhone: '+86 138 0013 8000',
    participants: [
      { rawSpeaker: 'AGENT', role: 'agent', name: 'Wang Fang' },
      { rawSpeaker: 'CUSTOMER', role: 'customer' },
    ],
    turns: [
      { rawSpeaker: 'AGENT', role: 'agent', startMs: 0, endMs: 3000, text: 'Thank you for calling Example Bank, this is Fang.' },
      { rawSpeaker: 'CUSTOMER', role: 'customer', startMs: 3200, endMs: 9000, text: 'I was charged twice for one purchase.' },
      { rawSpeaker: 'AGENT', role: 'agent', startMs: 9100, endMs: 12000, text: 'So that is 500 dollars charged twice on March 3rd?' },
      { rawSpeaker: 'CUSTOMER', role: 'customer', startMs: 12100, endMs: 13000, text: ' Yes, and nobody fixed it. ' },
    ],
    language: 'en-US',
    ...overrides,
  });
}

describe('transcriptToInbound', () => {
  it('makes one hotline message from a call: the customer speaks, the call start is the receipt time', () => {
    const message = transcriptToInbound(call(), { contentHash: HASH, importedAt: IMPORTED_AT });
    expect(InboundMessage.parse(message)).toBeTruthy();
    expect(message.channel).toBe('hotline');
    expect(message.channelMessageId).toBe('call:c-123');
    expect(message.conversationKey).toBe('call:c-123');
    expect(message.sender).toEqual({ id: '+8613800138000', phone: '+8613800138000' });
    expect(message.text).toBe('I was charged twice for one purchase.\nYes, and nobody fixed it.');
    expect(message.receivedAt.toISOString()).toBe('2026-03-10T01:30:00.000Z');
    expect(message.sentAt.toISOString()).toBe('2026-03-10T01:30:00.000Z');
    expect(message.fields).toEqual({ takenBy: 'Wang Fang' });
    expect(message.locale).toBe('en-US');
    expect(message.replyAddress).toBe('+8613800138000');
    // The whole call stays readable turn by turn.
    expect(message.raw).toEqual(call());
  });

  it('dedupes on the content hash when the format names no call, and falls back to the import time', () => {
    const message = transcriptToInbound(call({ callId: null, startedAt: null, customerPhone: null }), { contentHash: HASH, importedAt: IMPORTED_AT });
    expect(message.channelMessageId).toBe(`sha256:${HASH}`);
    expect(message.sender).toEqual({ id: `sha256:${HASH}` });
    expect(message.receivedAt).toEqual(IMPORTED_AT);
  });

  it('is the same message for the same call imported twice (same dedupe key)', () => {
    const first = transcriptToInbound(call(), { contentHash: HASH, importedAt: IMPORTED_AT });
    const again = transcriptToInbound(call(), { contentHash: 'b'.repeat(64), importedAt: new Date('2026-04-01T00:00:00Z') });
    expect(again.channelMessageId).toBe(first.channelMessageId);
    expect(again.receivedAt).toEqual(first.receivedAt);
  });

  it('never starts a clock in the future: a start time after the import is the import time', () => {
    const message = transcriptToInbound(call({ startedAt: '2030-01-01T00:00:00Z' }), { contentHash: HASH, importedAt: IMPORTED_AT });
    expect(message.receivedAt).toEqual(IMPORTED_AT);
  });

  it('takes the agent by label when unnamed, and the unknown speakers when no one is known as the customer', () => {
    const transcript = call({
      participants: [
        { rawSpeaker: 'spk_0', role: 'agent' },
        { rawSpeaker: 'spk_1', role: 'unknown' },
      ],
      turns: [
        { rawSpeaker: 'spk_0', role: 'agent', startMs: 0, text: 'Example Bank, how can I help?' },
        { rawSpeaker: 'spk_1', role: 'unknown', startMs: 2000, text: 'My card was swallowed by the ATM.' },
        { rawSpeaker: 'ivr', role: 'ivr', startMs: 100, text: 'Press 1 for cards.' },
      ],
    });
    const message = transcriptToInbound(transcript, { contentHash: HASH, importedAt: IMPORTED_AT });
    expect(message.fields).toEqual({ takenBy: 'spk_0' });
    expect(message.text).toBe('My card was swallowed by the ATM.');
  });

  it('has no takenBy when no agent spoke', () => {
    const message = transcriptToInbound(call({ participants: [], turns: [{ rawSpeaker: 'c', role: 'customer', startMs: 0, text: 'Hello?' }] }), {
      contentHash: HASH,
      importedAt: IMPORTED_AT,
    });
    expect(message.fields).toBeUndefined();
  });

  it('uses the customer participant’s phone and name when the metadata has no number', () => {
    const transcript = call({
      customerPhone: null,
      participants: [{ rawSpeaker: 'CUSTOMER', role: 'customer', name: 'Li Wei', phone: '13800138000' }],
      language: 'zh-CN',
    });
    const message = transcriptToInbound(transcript, { contentHash: HASH, importedAt: IMPORTED_AT });
    expect(message.sender).toEqual({ id: '+8613800138000', phone: '+8613800138000', displayName: 'Li Wei' });
  });
});

describe('toE164 and callKeyOf', () => {
  it('reads international and national numbers (by the language region), and refuses what is not a number', () => {
    expect(toE164('+44 20 7946 0958', null)).toBe('+442079460958');
    expect(toE164('0086 138 0013 8000', null)).toBe('+8613800138000');
    expect(toE164('13800138000', 'zh-CN')).toBe('+8613800138000');
    expect(toE164('13800138000', null)).toBeNull();
    expect(toE164('anonymous', 'en-US')).toBeNull();
  });

  it('keys a call on its id, else on the hash', () => {
    expect(callKeyOf({ callId: ' x1 ' }, HASH)).toBe('call:x1');
    expect(callKeyOf({ callId: '' }, HASH)).toBe(`sha256:${HASH}`);
    expect(callKeyOf({ callId: null }, HASH)).toBe(`sha256:${HASH}`);
  });
});

describe('canonicalReferences', () => {
  it('writes a spelled-out complaint reference the way Ombuds writes it, in the text and the kept transcript', () => {
    expect(canonicalReferences('about C M P 2026 000123 and cmp-2026 000124.')).toBe('about CMP-2026-000123 and CMP-2026-000124.');
    const message = transcriptToInbound(call({ turns: [{ rawSpeaker: 'CUSTOMER', role: 'customer', startMs: 0, text: 'my case CMP 2026 000123' }] }), {
      contentHash: HASH,
      importedAt: IMPORTED_AT,
    });
    expect(message.text).toBe('my case CMP-2026-000123');
    expect(Transcript.parse(message.raw).turns[0]?.text).toBe('my case CMP-2026-000123');
  });
});
