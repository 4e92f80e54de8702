/**
 * The format variants the real samples do not cover, written here as the vendors document them: AWS's older
 * segment-mapped output, Google v1 (`speakerTag`, {seconds, nanos}), Azure with diarization and ticks, Genesys with an
 * IVR then an agent on the internal side, Twilio channel participants, WebVTT Zoom style and several voices per cue,
 * SRT's speaker conventions, English plain text with timestamps and continuation lines.
 */
import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../../contracts/transcript.js';
import { parseTranscript } from './index.js';

function parse(content: string | object): Transcript {
  return parseTranscript({ bytes: Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)) });
}

function turnsOf(transcript: Transcript): [string, string, number, string][] {
  return transcript.turns.map((turn) => [turn.rawSpeaker, turn.role, turn.startMs, turn.text]);
}

const word = (content: string, start: string, end: string, extra: object = {}) => ({
  type: 'pronunciation', start_time: start, end_time: end, alternatives: [{ confidence: '0.9', content }], ...extra,
});
const mark = (content: string) => ({ type: 'punctuation', alternatives: [{ confidence: '0.0', content }] });

describe('AWS Transcribe variants', () => {
  it('older output: speakers only in speaker_labels.segments, looked up by start time (no signal: the first is the agent)', () => {
    const transcript = parse({
      jobName: 'job-7',
      results: {
        language_code: 'en-US',
        speaker_labels: { speakers: 2, segments: [
          { speaker_label: 'spk_1', items: [{ start_time: '0.5', speaker_label: 'spk_1' }, { start_time: '1.0', speaker_label: 'spk_1' }, { start_time: '1.5', speaker_label: 'spk_1' }] },
          { speaker_label: 'spk_0', items: [{ start_time: '2.5', speaker_label: 'spk_0' }, { start_time: '3.0', speaker_label: 'spk_0' }] },
        ] },
        items: [word('Thank', '0.5', '1.0'), word('you', '1.0', '1.5'), word('calling', '1.5', '2.0'), mark(','), word('Hi', '2.5', '3.0'), word('there', '3.0', '3.4'), mark('.')],
      },
    });
    expect(transcript).toMatchObject({ callId: 'job-7', language: 'en-US', durationMs: 3400 });
    expect(turnsOf(transcript)).toEqual([
      ['spk_1', 'agent', 500, 'Thank you calling,'],
      ['spk_0', 'customer', 2500, 'Hi there.'],
    ]);
  });

  it('channel identification with words only under channel_labels, interleaved by time', () => {
    const transcript = parse({
      results: {
        items: [],
        channel_labels: { number_of_channels: 2, channels: [
          { channel_label: 'ch_0', items: [word('Thank', '0.1', '0.3'), word('you', '0.3', '0.5'), word('for', '0.5', '0.6'), word('calling', '0.6', '1.0'), mark('.'), word('Bye', '9.0', '9.5')] },
          { channel_label: 'ch_1', items: [word('My', '2.0', '2.2'), word('card', '2.2', '2.6'), word('failed', '2.6', '3.0')] },
        ] },
      },
    });
    expect(turnsOf(transcript)).toEqual([
      ['ch_0', 'agent', 100, 'Thank you for calling.'],
      ['ch_1', 'customer', 2000, 'My card failed'],
      ['ch_0', 'agent', 9000, 'Bye'],
    ]);
  });
});

describe('Google, Azure, Genesys and Twilio variants', () => {
  it('Google v1: only the last result is diarized (speakerTag), times as {seconds, nanos} or "1.5s"', () => {
    const transcript = parse({
      results: [
        { alternatives: [{ transcript: 'thank you for calling Acme Bank my card was declined', words: [{ startTime: '0s', endTime: '1s', word: 'thank' }] }] },
        { alternatives: [{ transcript: '', words: [
          { startTime: { seconds: 0, nanos: 0 }, endTime: { seconds: 0, nanos: 500_000_000 }, word: 'thank', speakerTag: 1 },
          { startTime: '0.500s', endTime: '1s', word: 'you', speakerTag: 1 },
          { startTime: '1s', endTime: '1.500s', word: 'for', speakerTag: 1 },
          { startTime: '1.500s', endTime: '2s', word: 'calling', speakerTag: 1 },
          { startTime: { seconds: '3', nanos: 100_000_000 }, endTime: '3.600s', word: 'my', speakerTag: 2 },
          { startTime: '3.600s', endTime: '4s', word: 'card', speakerTag: 2 },
        ] }], languageCode: 'en-US' },
      ],
    });
    expect(turnsOf(transcript)).toEqual([
      ['1', 'agent', 0, 'thank you for calling'],
      ['2', 'customer', 3100, 'my card'],
    ]);
  });

  it('Google multichannel without diarization: one turn per result, channelTag as the speaker', () => {
    const transcript = parse({ results: [
      { alternatives: [{ transcript: 'how can I help you', confidence: 0.9 }], channelTag: 1, resultEndTime: '2s' },
      { alternatives: [{ transcript: 'I want to complain', confidence: 0.8 }], channelTag: 2, resultEndTime: '4s' },
    ] });
    expect(transcript.participants.map((participant) => [participant.rawSpeaker, participant.role])).toEqual([['channel 1', 'agent'], ['channel 2', 'customer']]);
  });

  it('Azure with diarization: speaker numbers, offsets in ticks, failed phrases skipped', () => {
    const transcript = parse({
      durationInTicks: 100_000_000,
      recognizedPhrases: [
        { recognitionStatus: 'Success', channel: 0, speaker: 2, offsetInTicks: 30_000_000, durationInTicks: 10_000_000, nBest: [{ confidence: 0.8, display: 'My card was charged twice.' }] },
        { recognitionStatus: 'Success', channel: 0, speaker: 1, offset: 'PT0.5S', duration: 'PT2S', nBest: [{ confidence: 0.9, display: 'Thank you for calling Contoso Bank.' }], locale: 'en-US' },
        { recognitionStatus: 'NoMatch', channel: 0, speaker: 1, offsetInTicks: 60_000_000, nBest: [] },
      ],
    });
    expect(transcript).toMatchObject({ durationMs: 10_000, language: 'en-US' });
    expect(turnsOf(transcript)).toEqual([
      ['speaker 1', 'agent', 500, 'Thank you for calling Contoso Bank.'],
      ['speaker 2', 'customer', 3000, 'My card was charged twice.'],
    ]);
    expect(transcript.turns[1]).toMatchObject({ endMs: 4000, confidence: 0.8 });
  });

  it('Genesys: the internal side is the IVR while it is on the call, then the agent; the customer phone from participants', () => {
    const start = Date.parse('2026-03-02T09:00:00Z');
    const transcript = parse({
      conversationId: 'c0a8f3e2-1111-2222-3333-444455556666',
      conversationStartTime: start,
      participants: [
        { participantPurpose: 'ivr', startTimeMs: start, endTimeMs: start + 10_000 },
        { participantPurpose: 'customer', startTimeMs: start, endTimeMs: start + 60_000, ani: 'tel:+8613800138000' },
        { participantPurpose: 'agent', startTimeMs: start + 10_000, endTimeMs: start + 60_000 },
      ],
      transcripts: [{ language: 'zh-CN', phrases: [
        { startTimeMs: start + 1_000, duration: { milliseconds: 3_000 }, participantPurpose: 'internal', text: '欢迎致电，请按1' },
        { startTimeMs: start + 12_000, duration: { milliseconds: 2_000 }, participantPurpose: 'internal', text: '您好，请问有什么可以帮您' },
        { startTimeMs: start + 15_000, participantPurpose: 'external', text: '我的卡被盗刷了' },
      ] }],
    });
    expect(transcript).toMatchObject({ callId: 'c0a8f3e2-1111-2222-3333-444455556666', startedAt: '2026-03-02T09:00:00.000Z', customerPhone: '+8613800138000', language: 'zh-CN' });
    expect(turnsOf(transcript)).toEqual([
      ['internal (ivr)', 'ivr', 1_000, '欢迎致电，请按1'],
      ['internal (agent)', 'agent', 12_000, '您好，请问有什么可以帮您'],
      ['external', 'customer', 15_000, '我的卡被盗刷了'],
    ]);
  });

  it('Twilio with the channel participants of the Transcript resource: roles, name and the customer phone', () => {
    const transcript = parse({
      transcript: { sid: 'GT0123456789abcdef0123456789abcdef', language_code: 'en-US', duration: 42, channel: { participants: [
        { channel_participant: 1, role: 'Agent', full_name: 'Ann Lee' },
        { channel_participant: 2, role: 'Customer', media_participant_id: '+14155550100' },
      ] } },
      sentences: [
        { media_channel: 2, sentence_index: 1, start_time: 3.2, end_time: 5, transcript: 'Someone used my card.', confidence: 0.91 },
        { media_channel: 1, sentence_index: 0, start_time: 0.4, end_time: 3, transcript: 'Hello, this is Ann.', confidence: 0.95 },
      ],
    });
    expect(transcript).toMatchObject({ callId: 'GT0123456789abcdef0123456789abcdef', durationMs: 42_000, customerPhone: '+14155550100', language: 'en-US' });
    expect(transcript.participants).toEqual([
      { rawSpeaker: '1', role: 'agent', name: 'Ann Lee' },
      { rawSpeaker: '2', role: 'customer', phone: '+14155550100' },
    ]);
    expect(turnsOf(transcript)).toEqual([['1', 'agent', 400, 'Hello, this is Ann.'], ['2', 'customer', 3200, 'Someone used my card.']]);
  });
});

describe('WebVTT, SRT and plain-text variants', () => {
  it('WebVTT: hours, cue ids, several voices in one cue, no end tag, entities, NOTE and STYLE blocks', () => {
    const transcript = parse('WEBVTT - call 17\n\nNOTE exported by Teams\n\nSTYLE\n::cue { color: red }\n\n'
      + 'a1b2c3d4-0001\n01:00:00.000 --> 01:00:02.500\n<v Agent>Thank you for calling &amp; welcome.</v>\n\n'
      + '01:00:03.000 --> 01:00:05.000 line:0\n<v.loud Customer>My card &lt;ending 0934&gt;\nwas stolen!<v Agent>Oh no.\n');
    expect(turnsOf(transcript)).toEqual([
      ['Agent', 'agent', 3_600_000, 'Thank you for calling & welcome.'],
      ['Customer', 'customer', 3_603_000, 'My card <ending 0934> was stolen!'],
      ['Agent', 'agent', 3_603_000, 'Oh no.'],
    ]);
  });

  it('WebVTT Zoom style: "Name: text" cues, roles inferred', () => {
    const transcript = parse('WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nMary Chen: Thank you for calling Acme Bank, how can I help?\n\n'
      + '2\n00:00:04.000 --> 00:00:06.000\nTom Wu: I have been charged twice on my card.\n\n3\n00:00:07.000 --> 00:00:08.000\nMary Chen: Let me check.\n');
    expect(turnsOf(transcript)).toEqual([
      ['Mary Chen', 'agent', 1000, 'Thank you for calling Acme Bank, how can I help?'],
      ['Tom Wu', 'customer', 4000, 'I have been charged twice on my card.'],
      ['Mary Chen', 'agent', 7000, 'Let me check.'],
    ]);
  });

  it('SRT: 1-digit hours, NAME: speakers, >> speaker changes, markup removed', () => {
    const transcript = parse('1\r\n0:00:01,5 --> 0:00:03,000\r\nAGENT: <i>Thank you for calling.</i>\r\n\r\n'
      + '2\r\n0:00:04,000 --> 0:00:06,000\r\n>> My card was charged twice.\r\n\r\n3\r\n0:00:07,000 --> 0:00:08,000\r\n>> I am sorry about that.\r\n');
    expect(turnsOf(transcript)).toEqual([
      ['AGENT', 'agent', 1500, 'Thank you for calling.'],
      ['speaker 1', 'customer', 4000, 'My card was charged twice.'],
      ['speaker 2', 'agent', 7000, 'I am sorry about that.'],
    ]);
  });

  it('plain text: a header, timestamps, half- and full-width colons, continuation lines, IVR label', () => {
    const transcript = parse('Call 2026-03-02 hotline export\n[00:00:01] IVR: Press 1 for cards.\n[00:00:05] Agent: Thank you for calling.\n'
      + '[00:00:08] Customer：My card was charged twice,\nonce on Monday and once on Tuesday.\n[00:01:02.5] Rep 2: Let me transfer you.\n');
    expect(turnsOf(transcript)).toEqual([
      ['IVR', 'ivr', 1000, 'Press 1 for cards.'],
      ['Agent', 'agent', 5000, 'Thank you for calling.'],
      ['Customer', 'customer', 8000, 'My card was charged twice, once on Monday and once on Tuesday.'],
      ['Rep', 'agent', 62_500, 'Let me transfer you.'],
    ]);
  });
});
