/**
 * One call transcript → one InboundMessage of the `hotline` channel (issue 7 item 2). The message is the call as
 * a record: deduplicated on the call id (or the file's content hash when the format has none), sent by the
 * customer (their phone number from the call metadata), its text the customer's turns, received when the call
 * started (the regulatory clock starts when the customer called, not at import), and the whole transcript kept as
 * `raw` so staff read the call turn by turn. What the agent confirmed (amount, incident date) is taken out of the
 * agent's turns in intake (src/intake/call-record.ts), where the classifier's extractors live; the adapter states
 * only what the call itself says: who took it.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { HOTLINE_CHANNEL, type InboundMessage, type Transcript, type TranscriptParticipant } from '../../contracts/index.js';

export interface TranscriptToInboundOptions {
  /** SHA-256 (hex) of the transcript's bytes: the dedupe key when the format carries no call id. */
  contentHash: string;
  /** When the import read the call: the receipt time only when the transcript has no start time. */
  importedAt: Date;
}

const TEXT_LIMIT = 100_000;
/** A complaint reference as speech recognition spells it out (`C M P 2026 000123`, `cmp-2026 000123`). */
const SPOKEN_REFERENCE = /\bC\s?M\s?P[\s-]*(\d{4})[\s-]*(\d{6,})\b/gi;

/**
 * Complaint references written the way Ombuds writes them (`CMP-2026-000123`), so intake recognises a call about
 * an existing complaint — the spelled-out digits would otherwise be redacted as a phone number before storage.
 */
export function canonicalReferences(text: string): string {
  return text.replace(SPOKEN_REFERENCE, (_match, year: string, serial: string) => `CMP-${year}-${serial}`);
}
const KEY_LIMIT = 256;

/** The call's key: `call:<id>` when the source names the call, else `sha256:<hash of the bytes>`. */
export function callKeyOf(transcript: Pick<Transcript, 'callId'>, contentHash: string): string {
  const callId = transcript.callId?.trim();
  return (callId ? `call:${callId}` : `sha256:${contentHash}`).slice(0, KEY_LIMIT);
}

/** The region a language tag names (`zh-CN` → CN): how a national number without `+` is read. */
function regionOf(language: string | null): CountryCode | undefined {
  const region = language ? /^[a-z]{2,3}[-_](?:[A-Za-z]{4}[-_])?([A-Za-z]{2})\b/.exec(language)?.[1]?.toUpperCase() : undefined;
  return region && isSupportedCountry(region) ? region : undefined;
}

/** The number as E.164 (`+8613800138000`), or null when it is not a valid phone number. */
export function toE164(value: string, language: string | null): string | null {
  const cleaned = value.trim().replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(cleaned, regionOf(language));
  return parsed?.isValid() ? parsed.number : null;
}

function customerOf(transcript: Transcript): TranscriptParticipant | undefined {
  return transcript.participants.find((participant) => participant.role === 'customer');
}

/** The agent who took the call: the first agent who spoke (a transferred call has several), by name, else as labelled. */
export function takenByOf(transcript: Transcript): string | null {
  const firstAgentTurn = transcript.turns.find((turn) => turn.role === 'agent');
  const agents = transcript.participants.filter((participant) => participant.role === 'agent');
  const agent = agents.find((participant) => participant.rawSpeaker === firstAgentTurn?.rawSpeaker) ?? agents[0];
  const name = agent?.name?.trim() || agent?.rawSpeaker.trim() || firstAgentTurn?.rawSpeaker.trim();
  return name ? name.slice(0, 200) : null;
}

/**
 * The customer's words: their turns in order. When the parser could not tell who is who (every speaker
 * `unknown`), every non-agent, non-IVR turn, so the complaint is not empty.
 */
export function customerTextOf(transcript: Transcript): string {
  const own = transcript.turns.filter((turn) => turn.role === 'customer');
  const turns = own.length > 0 ? own : transcript.turns.filter((turn) => turn.role === 'unknown');
  const text = turns
    .map((turn) => turn.text.trim())
    .filter((line) => line !== '')
    .join('\n');
  return text.length <= TEXT_LIMIT ? text : `${text.slice(0, TEXT_LIMIT - 1)}…`;
}

/** When the call started; the import time only when the source has none (or one in the future). */
function startOf(transcript: Transcript, importedAt: Date): Date {
  if (!transcript.startedAt) return importedAt;
  const started = new Date(transcript.startedAt);
  return Number.isNaN(started.getTime()) || started.getTime() > importedAt.getTime() ? importedAt : started;
}

export function transcriptToInbound(source: Transcript, options: TranscriptToInboundOptions): InboundMessage {
  // Only a turn whose text changes is copied (a call has hundreds of turns; few name a complaint).
  const transcript: Transcript = {
    ...source,
    turns: source.turns.map((turn) => {
      const text = canonicalReferences(turn.text);
      return text === turn.text ? turn : { ...turn, text };
    }),
  };
  const key = callKeyOf(transcript, options.contentHash);
  const customer = customerOf(transcript);
  const metadataPhone = transcript.customerPhone ?? customer?.phone ?? null;
  const phone = metadataPhone ? toE164(metadataPhone, transcript.language) : null;
  const displayName = customer?.name?.trim();
  const takenBy = takenByOf(transcript);
  const startedAt = startOf(transcript, options.importedAt);
  return {
    channel: HOTLINE_CHANNEL,
    channelMessageId: key,
    conversationKey: key,
    // The same number calling again is the same customer (intake links it to their other channels by phone).
    sender: { id: phone ?? key, ...(phone ? { phone } : {}), ...(displayName ? { displayName: displayName.slice(0, 256) } : {}) },
    sentAt: startedAt,
    receivedAt: startedAt,
    text: customerTextOf(transcript),
    attachments: [],
    ...(transcript.language ? { locale: transcript.language.slice(0, 35) } : {}),
    // Nothing can be sent back into a finished call: replies go to the number, when there is one.
    replyAddress: phone ?? key,
    ...(takenBy ? { fields: { takenBy } } : {}),
    raw: transcript,
  };
}
