/**
 * Azure AI Speech batch transcription results (CHANNELS.md §6): `recognizedPhrases[]` (only `Success` ones), text
 * from `nBest[0].display`, timed by `offsetMilliseconds`, `offsetInTicks` (100 ns) or the ISO 8601 `offset`. The
 * speaker is `speaker` (1..N, with diarization) or else `channel` (0/1, a stereo split); both are numbers, so roles
 * are inferred.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { assembleTranscript, type Fragment } from './assemble.js';
import { confidence, isoDurationToMs, numeric, records, text, ticksToMs, type JsonRecord } from './values.js';

export function parseAzureBatch(json: JsonRecord): Transcript {
  const phrases = records(json.recognizedPhrases).filter((phrase) => phrase.recognitionStatus === undefined || phrase.recognitionStatus === 'Success');
  const bySpeaker = phrases.some((phrase) => numeric(phrase.speaker) !== undefined);
  const fragments: Fragment[] = phrases.map((phrase) => {
    const best = records(phrase.nBest)[0];
    const startMs = numeric(phrase.offsetMilliseconds) ?? ticksToMs(phrase.offsetInTicks) ?? isoDurationToMs(phrase.offset) ?? 0;
    const durationMs = numeric(phrase.durationMilliseconds) ?? ticksToMs(phrase.durationInTicks) ?? isoDurationToMs(phrase.duration);
    const speaker = bySpeaker ? `speaker ${String(numeric(phrase.speaker) ?? '?')}` : `channel ${String(numeric(phrase.channel) ?? 0)}`;
    return {
      rawSpeaker: speaker,
      startMs,
      endMs: durationMs === undefined ? undefined : startMs + durationMs,
      text: text(best?.display) ?? text(best?.itn) ?? text(best?.lexical) ?? '',
      confidence: confidence(best?.confidence),
    };
  });
  const locales = phrases.map((phrase) => text(phrase.locale)).filter((value) => value !== undefined);
  return assembleTranscript({
    format: 'azure_batch',
    fragments,
    durationMs: numeric(json.durationMilliseconds) ?? ticksToMs(json.durationInTicks) ?? isoDurationToMs(json.duration) ?? null,
    language: locales[0] ?? null,
  });
}
