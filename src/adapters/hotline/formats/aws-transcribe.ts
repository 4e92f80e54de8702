/**
 * AWS Transcribe batch output (CHANNELS.md §6): `results.items[]`, one per word (`pronunciation`, with string seconds)
 * or punctuation (no times: it belongs to the word before). The speaker is the item's `speaker_label` (diarization)
 * or `channel_label` (channel identification); older output names it only in `results.speaker_labels.segments[]`
 * (looked up by start time) or puts the words in `results.channel_labels.channels[].items[]`. `results.audio_segments[]`
 * is read when there are no items. Labels are numbers (`spk_0`, `ch_1`), so roles are inferred.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { assembleTranscript, type Fragment } from './assemble.js';
import { TranscriptInvalid } from './transcript-invalid.js';
import { confidence, isRecord, records, secondsToMs, text, type JsonRecord } from './values.js';

export function parseAwsTranscribe(json: JsonRecord): Transcript {
  const results = isRecord(json.results) ? json.results : {};
  let items = records(results.items);
  if (!items.some(labelOf) && isRecord(results.channel_labels)) {
    items = records(results.channel_labels.channels).flatMap((channel) => records(channel.items).map((item) => ({ channel_label: channel.channel_label, ...item })));
  }
  const fragments = items.length > 0 ? fragmentsFromItems(items, segmentSpeakers(results)) : fragmentsFromSegments(records(results.audio_segments));
  if (fragments.length === 0) throw new TranscriptInvalid('the AWS Transcribe output has no words (results.items is empty)');
  const jobName = text(json.jobName);
  return assembleTranscript({
    format: 'aws_transcribe',
    fragments,
    callId: jobName?.slice(0, 200) ?? null,
    language: text(results.language_code) ?? text(json.language_code) ?? null,
  });
}

function labelOf(item: JsonRecord): string | undefined {
  return text(item.speaker_label) ?? text(item.channel_label);
}

/** Older diarized output: start time (ms) → speaker, from `speaker_labels.segments[].items[]`. */
function segmentSpeakers(results: JsonRecord): Map<number, string> {
  const speakers = new Map<number, string>();
  const labels = isRecord(results.speaker_labels) ? results.speaker_labels : {};
  for (const segment of records(labels.segments)) {
    for (const item of records(segment.items)) {
      const startMs = secondsToMs(item.start_time);
      const speaker = text(item.speaker_label) ?? text(segment.speaker_label);
      if (startMs !== undefined && speaker !== undefined) speakers.set(startMs, speaker);
    }
  }
  return speakers;
}

interface Word {
  speaker: string;
  startMs: number | undefined;
  endMs: number | undefined;
  content: string;
  confidence: number | undefined;
}

/** Words with their punctuation attached, in time order (channel-identified words come one channel at a time). */
function wordsOf(items: readonly JsonRecord[], bySegmentStart: ReadonlyMap<number, string>): Word[] {
  const words: Word[] = [];
  let speaker = 'unknown';
  for (const item of items) {
    const alternative = records(item.alternatives)[0];
    const content = text(alternative?.content) ?? '';
    if (content === '') continue;
    const previous = words.at(-1);
    if (item.type === 'punctuation') {
      if (previous) previous.content += content;
      continue;
    }
    const startMs = secondsToMs(item.start_time);
    speaker = labelOf(item) ?? (startMs === undefined ? undefined : bySegmentStart.get(startMs)) ?? speaker;
    words.push({ speaker, startMs: startMs ?? previous?.endMs, endMs: secondsToMs(item.end_time), content, confidence: confidence(alternative?.confidence) });
  }
  return words
    .map((word, index) => ({ word, index }))
    .sort((a, b) => (a.word.startMs ?? 0) - (b.word.startMs ?? 0) || a.index - b.index)
    .map(({ word }) => word);
}

function fragmentsFromItems(items: readonly JsonRecord[], bySegmentStart: ReadonlyMap<number, string>): Fragment[] {
  const fragments: (Fragment & { confidences: number[] })[] = [];
  for (const word of wordsOf(items, bySegmentStart)) {
    const current = fragments.at(-1);
    if (current?.rawSpeaker === word.speaker) {
      current.text += ` ${word.content}`;
      if (word.endMs !== undefined) current.endMs = word.endMs;
      if (word.confidence !== undefined) current.confidences.push(word.confidence);
      continue;
    }
    fragments.push({
      rawSpeaker: word.speaker,
      startMs: word.startMs ?? current?.endMs ?? 0,
      endMs: word.endMs,
      text: word.content,
      confidences: word.confidence === undefined ? [] : [word.confidence],
    });
  }
  return fragments.map(({ confidences, ...fragment }) => ({
    ...fragment,
    confidence: confidences.length === 0 ? undefined : confidences.reduce((sum, value) => sum + value, 0) / confidences.length,
  }));
}

function fragmentsFromSegments(segments: readonly JsonRecord[]): Fragment[] {
  return segments.map((segment) => ({
    rawSpeaker: text(segment.speaker_label) ?? text(segment.channel_label) ?? 'unknown',
    startMs: secondsToMs(segment.start_time) ?? 0,
    endMs: secondsToMs(segment.end_time),
    text: text(segment.transcript) ?? '',
  }));
}
