/**
 * Genesys Cloud speech-and-text-analytics transcript (CHANNELS.md §6): `transcripts[].phrases[]` with `text` (or
 * `decoratedText`), `startTimeMs` in **epoch** ms (made relative to `conversationStartTime`, or to the first phrase
 * when that is missing), `duration.milliseconds`, and `participantPurpose`: `external` is the customer, `internal`
 * is an agent **or the IVR** — told apart by which of `participants[] {participantPurpose, startTimeMs, endTimeMs}`
 * was on the call at that moment (`ivr`/`acd` → ivr, `agent`/`user` → agent; an agent when none says).
 */
import type { SpeakerRole, Transcript } from '../../../contracts/transcript.js';
import { assembleTranscript, type Fragment, type SpeakerInfo } from './assemble.js';
import { confidence, e164, isRecord, isoTimestamp, numeric, records, text, type JsonRecord } from './values.js';

interface Presence {
  role: SpeakerRole;
  fromMs: number;
  toMs: number;
}

const EPOCH_THRESHOLD_MS = 100_000_000_000;

export function parseGenesys(json: JsonRecord): Transcript {
  const transcripts = records(json.transcripts);
  const phrases = transcripts.flatMap((transcript) => records(transcript.phrases));
  const firstStart = phrases.reduce((min, phrase) => Math.min(min, numeric(phrase.startTimeMs) ?? Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  const conversationStart = numeric(json.conversationStartTime) ?? dateMs(json.conversationStartTime) ?? (Number.isFinite(firstStart) && firstStart >= EPOCH_THRESHOLD_MS ? firstStart : undefined);
  const base = conversationStart ?? 0;
  const presences = internalPresences(records(json.participants));
  const speakers = new Map<string, SpeakerInfo>([['external', { role: 'customer' }]]);
  const fragments: Fragment[] = phrases.map((phrase) => {
    const absoluteStart = numeric(phrase.startTimeMs) ?? base;
    const startMs = absoluteStart >= EPOCH_THRESHOLD_MS ? absoluteStart - base : absoluteStart;
    const duration = isRecord(phrase.duration) ? numeric(phrase.duration.milliseconds) : numeric(phrase.duration);
    let rawSpeaker = text(phrase.participantPurpose) ?? 'unknown';
    if (rawSpeaker === 'internal') {
      const role = presences.find((presence) => absoluteStart >= presence.fromMs && absoluteStart < presence.toMs)?.role ?? 'agent';
      rawSpeaker = `internal (${role})`;
      speakers.set(rawSpeaker, { role });
    }
    return {
      rawSpeaker,
      startMs: Math.max(0, startMs),
      endMs: duration === undefined ? undefined : Math.max(0, startMs) + duration,
      text: text(phrase.text) ?? text(phrase.decoratedText) ?? '',
      confidence: confidence(phrase.confidence),
    };
  });
  const customer = records(json.participants).find((participant) => participant.participantPurpose === 'customer' || participant.participantPurpose === 'external');
  const languages = transcripts.map((transcript) => text(transcript.language)).filter((value) => value !== undefined);
  return assembleTranscript({
    format: 'genesys',
    fragments,
    speakers,
    callId: text(json.conversationId)?.slice(0, 200) ?? null,
    startedAt: conversationStart === undefined ? null : (isoTimestamp(conversationStart) ?? null),
    customerPhone: e164(customer?.ani) ?? e164(customer?.address) ?? null,
    language: languages[0] ?? null,
  });
}

function dateMs(value: unknown): number | undefined {
  const iso = isoTimestamp(value);
  return iso === undefined ? undefined : Date.parse(iso);
}

function internalPresences(participants: readonly JsonRecord[]): Presence[] {
  const presences: Presence[] = [];
  for (const participant of participants) {
    const purpose = text(participant.participantPurpose);
    const role: SpeakerRole | undefined = purpose === 'ivr' || purpose === 'acd' ? 'ivr' : purpose === 'agent' || purpose === 'user' ? 'agent' : undefined;
    if (role === undefined) continue;
    presences.push({ role, fromMs: numeric(participant.startTimeMs) ?? 0, toMs: numeric(participant.endTimeMs) ?? Number.MAX_SAFE_INTEGER });
  }
  return presences;
}
