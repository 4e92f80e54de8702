/**
 * A call-centre call as every transcript format is read into (issue 7, CHANNELS.md §6): who took part in which
 * role, and their turns in time order (overlaps allowed: crosstalk is real). One format parser per source in
 * `src/adapters/hotline/formats/`; the importer turns a Transcript into one complaint record (or attaches it to an
 * existing complaint).
 */
import { z } from 'zod';

/** The channel name of every message made from a call transcript. */
export const HOTLINE_CHANNEL = 'hotline';

export const SpeakerRole = z.enum(['customer', 'agent', 'ivr', 'unknown']);
export type SpeakerRole = z.infer<typeof SpeakerRole>;

export const TranscriptFormat = z.enum(['aws_transcribe', 'contact_lens', 'google_stt', 'azure_batch', 'genesys', 'twilio_vi', 'webvtt', 'srt', 'plain_text']);
export type TranscriptFormat = z.infer<typeof TranscriptFormat>;

export const TranscriptParticipant = z.object({
  /** The speaker as the source names it (`spk_0`, `ch_1`, `AGENT`, `Mary`, `坐席`). */
  rawSpeaker: z.string().max(200),
  role: SpeakerRole,
  /** A name, agent id or phone number when the source gives one. */
  name: z.string().max(200).optional(),
  phone: z.string().max(40).optional(),
});
export type TranscriptParticipant = z.infer<typeof TranscriptParticipant>;

export const TranscriptTurn = z.object({
  rawSpeaker: z.string().max(200),
  role: SpeakerRole,
  /** Milliseconds from the start of the call. */
  startMs: z.number().int().nonnegative(),
  endMs: z.number().int().nonnegative().optional(),
  text: z.string().max(100_000),
  /** 0..1 where the ASR gives one. */
  confidence: z.number().min(0).max(1).optional(),
});
export type TranscriptTurn = z.infer<typeof TranscriptTurn>;

export const Transcript = z.object({
  format: TranscriptFormat,
  /** The source's call / contact / job id; null when the format has none (the importer then uses the content hash). */
  callId: z.string().max(200).nullable(),
  /** When the call started (ISO 8601), when the source says; the regulatory clock starts then. */
  startedAt: z.iso.datetime({ offset: true }).nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  /** The customer's phone number (E.164) from the call metadata, when given. */
  customerPhone: z.string().max(40).nullable(),
  participants: z.array(TranscriptParticipant).max(50),
  /** In start-time order; consecutive fragments of one speaker merged. */
  turns: z.array(TranscriptTurn).max(20_000),
  /** Language tag the source states (`en-US`, `zh-CN`), when it does. */
  language: z.string().max(20).nullable(),
});
export type Transcript = z.infer<typeof Transcript>;
