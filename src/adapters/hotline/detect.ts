/**
 * Which transcript format a text is, by its content only (never the file name): JSON by the keys each vendor's
 * output is built on, WebVTT by its `WEBVTT` header, SRT by its `00:00:01,000 --> …` timing lines, plain text by
 * speaker labels (`坐席：`, `Agent:`) or the QC tools' `<li start=…>` rows. JSON that does not parse is refused here,
 * with where it broke.
 */
import type { TranscriptFormat } from '../../contracts/transcript.js';
import { isPlainTextTranscript } from './formats/plain-text.js';
import { TranscriptInvalid } from './formats/transcript-invalid.js';
import { isRecord, records, type JsonRecord } from './formats/values.js';

export type DetectedTranscript =
  | { format: Exclude<TranscriptFormat, 'webvtt' | 'srt' | 'plain_text'>; json: JsonRecord }
  | { format: 'webvtt' | 'srt' | 'plain_text'; text: string };

const SRT_TIMING = /^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}/;

export function detectTranscriptFormat(text: string): DetectedTranscript {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.search(/\S/);
  if (start < 0) throw new TranscriptInvalid(body.length === 0 ? 'empty file' : 'the file holds only whitespace');
  const first = body.charAt(start);
  const opening = firstLines(body, 20);
  if (first === '{' || (first === '[' && !isPlainTextTranscript(opening))) return detectJson(parseJson(body));
  if (/^WEBVTT(?:[ \t]|\r?\n|\r|$)/.test(body.slice(start, start + 8))) return { format: 'webvtt', text: body };
  if (opening.slice(0, 6).some((line) => SRT_TIMING.test(line))) return { format: 'srt', text: body };
  if (isPlainTextTranscript(opening)) return { format: 'plain_text', text: body };
  throw new TranscriptInvalid('not a transcript format Ombuds knows (no JSON, WEBVTT header, SRT timing line or speaker labels)');
}

function firstLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let position = 0;
  while (lines.length < count && position < text.length) {
    const end = text.indexOf('\n', position);
    const line = (end < 0 ? text.slice(position) : text.slice(position, end)).slice(0, 2_000);
    if (line.trim() !== '') lines.push(line);
    position = end < 0 ? text.length : end + 1;
  }
  return lines;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /position (\d+)/.exec(message)?.[1];
    if (position === undefined || /end of JSON|Unterminated/i.test(message) || Number(position) >= body.trimEnd().length) {
      throw new TranscriptInvalid(`truncated JSON at byte ${Buffer.byteLength(body)}`, { cause: error });
    }
    const byte = Buffer.byteLength(body.slice(0, Number(position)));
    throw new TranscriptInvalid(`invalid JSON at byte ${byte}`, { cause: error });
  }
}

function detectJson(value: unknown): DetectedTranscript {
  if (!isRecord(value)) throw new TranscriptInvalid('JSON that is not a transcript object (an array or a bare value)');
  const results = value.results;
  if (Array.isArray(value.Transcript) && (Array.isArray(value.Participants) || typeof value.Version === 'string')) {
    return { format: 'contact_lens', json: value };
  }
  if (isRecord(results) && (Array.isArray(results.items) || Array.isArray(results.audio_segments))) {
    return { format: 'aws_transcribe', json: value };
  }
  if (Array.isArray(results) && records(results).some((result) => Array.isArray(result.alternatives))) {
    return { format: 'google_stt', json: value };
  }
  if (Array.isArray(value.recognizedPhrases)) return { format: 'azure_batch', json: value };
  if (records(value.transcripts).some((transcript) => Array.isArray(transcript.phrases))) return { format: 'genesys', json: value };
  if (Array.isArray(value.sentences)) return { format: 'twilio_vi', json: value };
  throw new TranscriptInvalid('JSON, but not a transcript format Ombuds knows (no Transcript, results, recognizedPhrases, transcripts[].phrases or sentences)');
}
