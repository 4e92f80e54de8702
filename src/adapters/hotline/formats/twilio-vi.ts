/**
 * Twilio Voice / Conversational Intelligence transcript sentences (CHANNELS.md §6): `sentences[] {media_channel,
 * sentence_index, start_time, end_time (seconds, possibly null), transcript, confidence}`. The role of each
 * `media_channel` comes from the Transcript resource's `channel.participants[] {channel_participant, role}` when the
 * file carries it (top level or under `transcript`); otherwise roles are inferred. Sentences without times keep their
 * `sentence_index` order.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { roleFromLabel } from '../roles.js';
import { assembleTranscript, type SpeakerInfo } from './assemble.js';
import { confidence, e164, isRecord, numeric, records, secondsToMs, text, type JsonRecord } from './values.js';

export function parseTwilioVi(json: JsonRecord): Transcript {
  const resource = isRecord(json.transcript) ? json.transcript : json;
  const channel = isRecord(resource.channel) ? resource.channel : {};
  const speakers = new Map<string, SpeakerInfo>();
  for (const participant of records(channel.participants)) {
    const number = numeric(participant.channel_participant);
    if (number === undefined) continue;
    const phone = e164(participant.media_participant_id) ?? e164(participant.phone_number);
    speakers.set(String(number), {
      role: roleFromLabel(text(participant.role) ?? ''),
      name: text(participant.full_name) ?? text(participant.user_id),
      phone,
    });
  }
  const sentences = records(json.sentences)
    .map((sentence, index) => ({ sentence, order: numeric(sentence.sentence_index) ?? index }))
    .sort((a, b) => a.order - b.order)
    .map(({ sentence }) => sentence);
  let lastStart = 0;
  const fragments = sentences.map((sentence) => {
    lastStart = secondsToMs(sentence.start_time) ?? lastStart;
    return {
      rawSpeaker: String(numeric(sentence.media_channel) ?? 'unknown'),
      startMs: lastStart,
      endMs: secondsToMs(sentence.end_time),
      text: text(sentence.transcript) ?? '',
      confidence: confidence(sentence.confidence),
    };
  });
  const meta = isRecord(json.meta) ? json.meta : {};
  const sid = text(resource.sid) ?? /\/Transcripts\/(GT\w{32})\b/.exec(text(meta.url) ?? '')?.[1];
  return assembleTranscript({
    format: 'twilio_vi',
    fragments,
    speakers,
    callId: sid?.startsWith('GT') ? sid : null,
    durationMs: secondsToMs(resource.duration) ?? null,
    language: text(resource.language_code) ?? null,
  });
}
