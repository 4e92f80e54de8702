/**
 * Detection by content and the refusals: each bad input is a TranscriptInvalid (TRANSCRIPT_INVALID, 422) with a
 * reason that says what is wrong; random bytes never throw anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOmbudsError } from '../../shared/errors.js';
import { detectTranscriptFormat } from './detect.js';
import { parseTranscript, TranscriptInvalid } from './index.js';

function refusal(bytes: Buffer): string {
  try {
    parseTranscript({ bytes });
  } catch (error) {
    if (error instanceof TranscriptInvalid && isOmbudsError(error) && error.code === 'TRANSCRIPT_INVALID' && error.httpStatus === 422) {
      return error.reason;
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('detectTranscriptFormat', () => {
  it.each([
    ['{"results":{"items":[]}}', 'aws_transcribe'],
    ['{"Version":"1.1.0","Participants":[],"Transcript":[]}', 'contact_lens'],
    ['{"results":[{"alternatives":[{"transcript":"hi"}]}]}', 'google_stt'],
    ['{"recognizedPhrases":[]}', 'azure_batch'],
    ['{"transcripts":[{"phrases":[]}]}', 'genesys'],
    ['{"sentences":[]}', 'twilio_vi'],
    ['WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n', 'webvtt'],
    ['\uFEFF1\n0:00:01,000 --> 0:00:02,000\nhi\n', 'srt'],
    ['Customer: hello\n', 'plain_text'],
    ['[00:01:02] 客服：您好\n', 'plain_text'],
    ['<li start=0 end=10 >坐席：您好</li>\n', 'plain_text'],
  ])('%j is %s', (text, format) => {
    expect(detectTranscriptFormat(text).format).toBe(format);
  });

  it('decides by content, never by the name it is given', () => {
    const transcript = parseTranscript({ bytes: Buffer.from('Agent: Thank you for calling.\nCustomer: Hi.\n'), name: 'call.json' });
    expect(transcript.format).toBe('plain_text');
  });
});

describe('bad input', () => {
  it('an empty file', () => {
    expect(refusal(Buffer.alloc(0))).toBe('empty file');
    expect(refusal(Buffer.from('  \n\t\r\n'))).toBe('the file holds only whitespace');
  });

  it('truncated JSON, with the byte where it ends', () => {
    const whole = '{"Version":"1.1.0","Participants":[],"Transcript":[{"Content":"我的卡';
    expect(refusal(Buffer.from(whole))).toBe(`truncated JSON at byte ${Buffer.byteLength(whole)}`);
    expect(refusal(Buffer.from('{"results": {"items": [1, 2'))).toBe('truncated JSON at byte 27');
  });

  it('JSON of an unknown shape, and JSON that is not an object', () => {
    expect(refusal(Buffer.from('{"hello":"world"}'))).toMatch(/^JSON, but not a transcript format Ombuds knows/);
    expect(refusal(Buffer.from('[1,2,3]'))).toMatch(/not a transcript object/);
  });

  it('a known format with no speech', () => {
    expect(refusal(Buffer.from('{"Version":"1.1.0","Participants":[],"Transcript":[]}'))).toMatch(/empty Transcript/);
    expect(refusal(Buffer.from('WEBVTT\n\nNOTE nothing here\n'))).toMatch(/webvtt transcript has no spoken turns/);
  });

  it('text of an unknown format', () => {
    expect(refusal(Buffer.from('Dear bank, my card was charged twice.\nRegards'))).toMatch(/^not a transcript format Ombuds knows/);
    expect(refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toMatch(/not a transcript format/);
  });

  it('random bytes and random text never throw anything but TranscriptInvalid', () => {
    const anything = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => Buffer.from(text)),
      fc.constantFrom('WEBVTT\n\n', '1\n00:00:01,000 --> 00:00:02,000\n', 'Agent: ', '{"results":', '<li start=1 end=2>坐席：', '{"sentences":[')
        .chain((prefix) => fc.string({ maxLength: 200 }).map((rest) => Buffer.from(prefix + rest))),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify({ transcripts: [{ phrases: [value] }], results: value, sentences: [value] }))),
    );
    fc.assert(
      fc.property(anything, (bytes) => {
        try {
          parseTranscript({ bytes });
        } catch (error) {
          expect(error).toBeInstanceOf(TranscriptInvalid);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('adversarial input for the patterns is read in one pass (long lines of near-misses)', () => {
    const nearMisses = [
      `WEBVTT\n\n00:01.000 --> 00:02.000\n${'<v '.repeat(50_000)}\n`,
      `Agent: ${'坐席：'.repeat(100_000)}\n${'Customer'.repeat(50_000)}`,
      `1\n00:00:01,000 --> 00:00:02,000\n${'- ['.repeat(50_000)}\n`,
      `<li ${'start='.repeat(50_000)}\nAgent: x`,
      `Agent: ${'Â€'.repeat(100_000)}`,
      `WEBVTT\n\n00:01.000 --> 00:02.000\n${' '.repeat(200_000)}x\n`,
      `1\n00:00:01,000 --> 00:00:02,000\n${'\t'.repeat(200_000)}y:${' '.repeat(100_000)}z\n`,
      `Customer: ${'a: '.repeat(100_000)}\n${' '.repeat(100_000)}b`,
    ];
    for (const text of nearMisses) {
      const transcript = parseTranscript({ bytes: Buffer.from(text) });
      expect(transcript.turns.length).toBeGreaterThan(0);
    }
  });
});
