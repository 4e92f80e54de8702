/**
 * Every real sample in fixtures/transcripts/ parses by content to the expected speakers, roles, turn counts and
 * first turns; the one invalid sample is refused cleanly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../contracts/transcript.js';
import { isOmbudsError } from '../../../shared/errors.js';
import { parseTranscript } from './index.js';

const ROOT = new URL('../../../../fixtures/transcripts/', import.meta.url);

function fixture(path: string): Buffer {
  return readFileSync(new URL(path, ROOT));
}

function parse(path: string): Transcript {
  const transcript = parseTranscript({ bytes: fixture(path), name: path });
  expect(Transcript.parse(transcript)).toEqual(transcript);
  return transcript;
}

function roles(transcript: Transcript): Record<string, string> {
  return Object.fromEntries(transcript.participants.map((participant) => [participant.rawSpeaker, participant.role]));
}

function isSorted(transcript: Transcript): boolean {
  return transcript.turns.every((turn, index) => index === 0 || (transcript.turns[index - 1]?.startMs ?? 0) <= turn.startMs);
}

function noConsecutiveSameSpeaker(transcript: Transcript): boolean {
  return transcript.turns.every((turn, index) => index === 0 || transcript.turns[index - 1]?.rawSpeaker !== turn.rawSpeaker);
}

describe('hotline fixtures: AWS Transcribe', () => {
  it('diarized output: words joined, punctuation on the word before, the customer who waited and the agent who apologises', () => {
    const transcript = parse('aws-transcribe/aws-transcribe-1-diarization.json');
    expect(transcript).toMatchObject({ format: 'aws_transcribe', callId: 'my-first-transcription-job', startedAt: null, durationMs: 9240 });
    expect(roles(transcript)).toEqual({ spk_0: 'customer', spk_1: 'agent' });
    expect(transcript.turns.map(({ rawSpeaker, startMs, endMs, text }) => ({ rawSpeaker, startMs, endMs, text }))).toEqual([
      { rawSpeaker: 'spk_0', startMs: 4870, endMs: 6880, text: "I've been on hold for an hour." },
      { rawSpeaker: 'spk_1', startMs: 8490, endMs: 9240, text: 'Sorry about that.' },
    ]);
    expect(transcript.turns[0]?.confidence).toBe(1);
  });

  it('channel identification: ch_0 and ch_1 as speakers', () => {
    const transcript = parse('aws-transcribe/aws-transcribe-2-channel-id.json');
    expect(roles(transcript)).toEqual({ ch_0: 'customer', ch_1: 'agent' });
    expect(transcript.turns.map((turn) => turn.text)).toEqual(["I've been on hold for an hour.", 'Sorry about that.']);
    expect(transcript.turns[0]?.startMs).toBe(4860);
  });
});

describe('hotline fixtures: Contact Lens', () => {
  it('refuses the "original as published" sample (invalid JSON) with TRANSCRIPT_INVALID and where it broke', () => {
    let caught: unknown;
    try {
      parseTranscript({ bytes: fixture('contact-lens/contact-lens-1-original-as-published.json') });
    } catch (error) {
      caught = error;
    }
    expect(isOmbudsError(caught) && caught.code === 'TRANSCRIPT_INVALID' && caught.httpStatus === 422).toBe(true);
    expect(caught).toMatchObject({ message: expect.stringMatching(/invalid JSON at byte 9249/) });
  });

  it('redacted sample: roles from Participants, [PII] kept, language and duration', () => {
    const transcript = parse('contact-lens/contact-lens-2-redacted.json');
    expect(transcript).toMatchObject({ format: 'contact_lens', durationMs: 32110, language: 'en-US', callId: null });
    expect(roles(transcript)).toEqual({ AGENT: 'agent', CUSTOMER: 'customer' });
    expect(transcript.turns).toHaveLength(10);
    expect(transcript.turns[1]).toMatchObject({ role: 'customer', startMs: 160, endMs: 4640, text: 'Just hello. My name is [PII] and help.' });
  });

  it('the real call keeps its overlapping turns (crosstalk) and merges consecutive fragments of one speaker', () => {
    const transcript = parse('contact-lens/contact-lens-3-scv-test.json');
    expect(transcript.callId).toBe('7c77422d-f9ba-4111-ad48-b2f5dadf854a');
    expect(transcript.durationMs).toBe(86727);
    expect(transcript.turns).toHaveLength(11);
    expect(transcript.turns.slice(0, 2)).toEqual([
      { rawSpeaker: 'AGENT', role: 'agent', startMs: 2540, endMs: 2975, text: 'Mhm.' },
      { rawSpeaker: 'CUSTOMER', role: 'customer', startMs: 2580, endMs: 3095, text: 'Mhm.' },
    ]);
    expect(transcript.turns[3]).toMatchObject({ rawSpeaker: 'CUSTOMER', startMs: 10720, endMs: 13345, text: 'I hope you got I hear my voice.' });
    expect(isSorted(transcript) && noConsecutiveSameSpeaker(transcript)).toBe(true);
  });
});

describe('hotline fixtures: Google, Azure, Genesys, Twilio', () => {
  it('Google STT v2 diarization: speakerLabel and "1.100s" offsets; the asker of "which color" is the agent', () => {
    const transcript = parse('google-stt/google-stt-1-v2-diarization-excerpt.json');
    expect(transcript).toMatchObject({ format: 'google_stt', language: 'en-us', durationMs: 7500 });
    expect(roles(transcript)).toEqual({ '2': 'customer', '1': 'agent' });
    expect(transcript.turns.map(({ startMs, endMs, text }) => ({ startMs, endMs, text }))).toEqual([
      { startMs: 0, endMs: 2100, text: "hi I'd like to" },
      { startMs: 6500, endMs: 7500, text: 'certainly which color' },
    ]);
  });

  it('Azure batch: ISO/tick offsets, nBest[0].display and its confidence, the file duration', () => {
    const transcript = parse('azure-batch/azure-speech-batch-1.json');
    expect(transcript).toMatchObject({ format: 'azure_batch', durationMs: 2580 });
    expect(transcript.turns).toEqual([{ rawSpeaker: 'channel 0', role: 'unknown', startMs: 760, endMs: 2080, text: 'Hello world.', confidence: 0.5643 }]);
  });

  it('Genesys: epoch ms minus the conversation start; the internal phrase is the IVR by participants[]', () => {
    const transcript = parse('genesys/genesys-1-transcript-minimal.json');
    expect(transcript).toMatchObject({ format: 'genesys', startedAt: '2025-06-06T21:00:00.000Z' });
    expect(transcript.turns).toEqual([
      { rawSpeaker: 'internal (ivr)', role: 'ivr', startMs: 0, text: "I'm an IVR" },
      { rawSpeaker: 'external', role: 'customer', startMs: 5000, text: "I'm a customer" },
    ]);
  });

  it('Twilio sentences: null times keep their order, the transcript sid from meta as the call id', () => {
    const transcript = parse('twilio-vi/twilio-vi-1-sentences.json');
    expect(transcript).toMatchObject({ format: 'twilio_vi', callId: 'GTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', durationMs: null });
    expect(transcript.turns).toEqual([{ rawSpeaker: '1', role: 'unknown', startMs: 0, text: 'test test' }]);
  });
});

describe('hotline fixtures: WebVTT, SRT, plain text', () => {
  it('WebVTT voice tags with overlapping cues, and the double-encoded em dash repaired', () => {
    const transcript = parse('webvtt/webvtt-1-voice-tags.vtt');
    expect(transcript.participants.map((participant) => participant.name)).toEqual(['Roger Bingham', 'Neil deGrasse Tyson']);
    expect(transcript.turns).toHaveLength(5);
    expect(transcript.turns[0]?.text).toMatch(/^We are in New York City We're actually at the Lucern Hotel/);
    expect(transcript.turns[0]?.text.endsWith('When we e-mailed—')).toBe(true);
    expect(transcript.turns.map((turn) => turn.text).join(' ')).not.toMatch(/â|\u0080|\u0094/);
    expect(transcript.turns[1]).toMatchObject({ rawSpeaker: 'Neil deGrasse Tyson', startMs: 30_500, endMs: 32_500 });
    expect(new Set(transcript.participants.map((participant) => participant.role))).toEqual(new Set(['agent', 'customer']));
  });

  it('WebVTT voice classes, several voices and markup after an explicit end tag', () => {
    const transcript = parse('webvtt/webvtt-2-voice-classes.vtt');
    expect(transcript.turns.map(({ rawSpeaker, text }) => [rawSpeaker, text])).toEqual([
      ['Esme', "It's a blue apple tree!"],
      ['Mary', 'No way!'],
      ['Esme', 'Hee! laughter'],
      ['Mary', "That's awesome!"],
    ]);
  });

  it('SRT with a BOM and commas: one unnamed speaker, "We’re here:" is not a name', () => {
    const transcript = parse('srt/srt-1.srt');
    expect(transcript.participants.map((participant) => participant.rawSpeaker)).toEqual(['']);
    expect(transcript.turns).toHaveLength(1);
    expect(transcript.turns[0]).toMatchObject({ startMs: 3120, endMs: 12_080 });
    expect(transcript.turns[0]?.text).toMatch(/^Hi, I’m Carrie Anne, .* We’re here: the final episode!/);
  });

  it('SRT with dots, centiseconds, CRLF and a "- [Adam]" speaker', () => {
    const transcript = parse('srt/srt-2-dot-centiseconds-speaker-brackets.srt');
    expect(transcript.participants).toEqual([{ rawSpeaker: 'Adam', role: expect.any(String), name: 'Adam' }]);
    expect(transcript.turns[0]).toMatchObject({ startMs: 50, endMs: 55_040 });
    expect(transcript.turns[0]?.text).toMatch(/^Hello, my name is Adam Wilbert, and I'd like to welcome you to Learning/);
    expect(transcript.turns[0]?.text).not.toMatch(/\r|\[Adam\]/);
  });

  it('QC export: <li> rows with times, silence rows dropped, the out-of-order turn sorted into place', () => {
    const transcript = parse('plain-text/zh-bank-hotline-1-iqc-li.txt');
    expect(roles(transcript)).toEqual({ 坐席: 'agent', 客户: 'customer' });
    expect(transcript.turns).toHaveLength(46);
    expect(transcript.turns[0]).toEqual({ rawSpeaker: '坐席', role: 'agent', startMs: 13_070, endMs: 14_870, text: '您好，请问有什么可以帮您' });
    const reordered = transcript.turns.findIndex((turn) => turn.startMs === 184_950);
    expect(transcript.turns[reordered]).toMatchObject({ rawSpeaker: '客户', text: '嗯' });
    expect(transcript.turns[reordered + 1]).toMatchObject({ rawSpeaker: '坐席', startMs: 185_550 });
    expect(transcript.turns.some((turn) => /silence|6S\./.test(turn.text))).toBe(false);
    expect(isSorted(transcript) && noConsecutiveSameSpeaker(transcript)).toBe(true);
    expect(transcript.durationMs).toBe(259_330);
  });

  it('plain 坐席：/客户： lines with the full-width colon', () => {
    const transcript = parse('plain-text/zh-bank-hotline-2-plain.txt');
    expect(roles(transcript)).toEqual({ 坐席: 'agent', 客户: 'customer' });
    expect(transcript.turns).toHaveLength(46);
    expect(transcript.turns[1]).toMatchObject({ role: 'customer', text: '然后你们这个银行，这里呀，那柜员机老是故障啊，嗯，也没用过的维修的' });
    expect(transcript.turns[3]?.text).toBe('我们某市某区某镇 然后，某村');
  });
});
