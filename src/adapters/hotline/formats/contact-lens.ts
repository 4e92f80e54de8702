/**
 * Amazon Connect Contact Lens / Transcribe Call Analytics output (CHANNELS.md §6): `Transcript[]` turns with
 * `BeginOffsetMillis`/`EndOffsetMillis` from the call's start, their speaker's role from `Participants[]`
 * (`AGENT`/`CUSTOMER`). Overlapping turns (crosstalk, contact-lens-3) are kept. The invalid JSON AWS published as its
 * "original" example never reaches this file: detection refuses it.
 */
import type { SpeakerRole, Transcript } from '../../../contracts/transcript.js';
import { roleFromLabel } from '../roles.js';
import { assembleTranscript, type SpeakerInfo } from './assemble.js';
import { TranscriptInvalid } from './transcript-invalid.js';
import { isRecord, numeric, records, text, type JsonRecord } from './values.js';

export function parseContactLens(json: JsonRecord): Transcript {
  const speakers = new Map<string, SpeakerInfo>();
  for (const participant of records(json.Participants)) {
    const id = text(participant.ParticipantId);
    const role: SpeakerRole | undefined = roleFromLabel(text(participant.ParticipantRole) ?? '');
    if (id !== undefined) speakers.set(id, { role });
  }
  const turns = records(json.Transcript);
  if (turns.length === 0) throw new TranscriptInvalid('the Contact Lens output has an empty Transcript');
  const fragments = turns.map((turn) => ({
    rawSpeaker: text(turn.ParticipantId) ?? 'unknown',
    startMs: numeric(turn.BeginOffsetMillis) ?? 0,
    endMs: numeric(turn.EndOffsetMillis),
    text: text(turn.Content) ?? '',
  }));
  const metadata = isRecord(json.CustomerMetadata) ? json.CustomerMetadata : {};
  const characteristics = isRecord(json.ConversationCharacteristics) ? json.ConversationCharacteristics : {};
  return assembleTranscript({
    format: 'contact_lens',
    fragments,
    speakers,
    callId: (text(metadata.ContactId) ?? text(json.JobName) ?? text(json.ContactId))?.slice(0, 200) ?? null,
    durationMs: numeric(characteristics.TotalConversationDurationMillis) ?? null,
    language: text(json.LanguageCode) ?? null,
  });
}
