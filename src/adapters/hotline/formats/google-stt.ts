/**
 * Google Cloud Speech-to-Text (CHANNELS.md §6), v1 and v2 field names. Diarized: only the *last* result carries
 * speaker tags and it holds *all* the words (`words[] {startTime|startOffset, endTime|endOffset, word,
 * speakerTag|speakerLabel}`), so turns are built from that one result. Otherwise each result is one turn
 * (`channelTag` as the speaker with multichannel audio), timed by its words or by `resultEndTime|resultEndOffset`.
 * Times are protobuf Durations ("1.100s", or {seconds, nanos} from the Node client). Speakers are numbers: roles are
 * inferred.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { assembleTranscript, type Fragment } from './assemble.js';
import { confidence, numeric, protobufDurationToMs, records, text, type JsonRecord } from './values.js';

export function parseGoogleStt(json: JsonRecord): Transcript {
  const results = records(json.results);
  const diarized = [...results].reverse().find((result) => wordsOf(result).some((word) => speakerOf(word) !== undefined));
  const fragments = diarized ? fragmentsFromWords(diarized) : fragmentsFromResults(results);
  const languages = results.map((result) => text(result.languageCode)).filter((value) => value !== undefined);
  return assembleTranscript({ format: 'google_stt', fragments, language: languages[0] ?? null });
}

function wordsOf(result: JsonRecord): JsonRecord[] {
  return records(records(result.alternatives)[0]?.words);
}

function speakerOf(word: JsonRecord): string | undefined {
  const label = text(word.speakerLabel);
  if (label !== undefined && label !== '') return label;
  const tag = numeric(word.speakerTag);
  return tag === undefined || tag === 0 ? undefined : String(tag);
}

function fragmentsFromWords(result: JsonRecord): Fragment[] {
  const fragments: Fragment[] = [];
  for (const word of wordsOf(result)) {
    const content = text(word.word) ?? '';
    if (content === '') continue;
    const speaker = speakerOf(word) ?? 'unknown';
    const startMs = protobufDurationToMs(word.startOffset ?? word.startTime);
    const endMs = protobufDurationToMs(word.endOffset ?? word.endTime);
    const current = fragments.at(-1);
    if (current?.rawSpeaker === speaker) {
      current.text += ` ${content}`;
      if (endMs !== undefined) current.endMs = endMs;
      continue;
    }
    fragments.push({ rawSpeaker: speaker, startMs: startMs ?? current?.endMs ?? 0, endMs, text: content, confidence: confidence(word.confidence) });
  }
  return fragments;
}

function fragmentsFromResults(results: readonly JsonRecord[]): Fragment[] {
  const previousEnd = new Map<string, number>();
  return results.map((result) => {
    const alternative = records(result.alternatives)[0];
    const speaker = numeric(result.channelTag) === undefined ? 'unknown' : `channel ${String(numeric(result.channelTag))}`;
    const words = wordsOf(result);
    const endMs = protobufDurationToMs(result.resultEndOffset ?? result.resultEndTime);
    const firstWordStart = words.length === 0 ? undefined : protobufDurationToMs(words[0]?.startOffset ?? words[0]?.startTime);
    const startMs = firstWordStart ?? previousEnd.get(speaker) ?? 0;
    if (endMs !== undefined) previousEnd.set(speaker, endMs);
    return { rawSpeaker: speaker, startMs, endMs, text: text(alternative?.transcript) ?? '', confidence: confidence(alternative?.confidence) };
  });
}
