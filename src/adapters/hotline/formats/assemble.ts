/**
 * From the fragments a format parser reads to one contract `Transcript` (CHANNELS.md §6 rules for every source):
 * sort by start time (stable: equal starts keep the source's order), keep overlaps, merge consecutive fragments of
 * one speaker, give every speaker a role (the format's own, else {@link inferRoles}), and check the result against
 * the contract so nothing malformed leaves the parser.
 */
import { Transcript, type SpeakerRole, type TranscriptFormat, type TranscriptParticipant, type TranscriptTurn } from '../../../contracts/transcript.js';
import { inferRoles } from '../roles.js';
import { TranscriptInvalid } from './transcript-invalid.js';

export interface Fragment {
  rawSpeaker: string;
  startMs: number;
  endMs?: number | undefined;
  text: string;
  confidence?: number | undefined;
}

export interface SpeakerInfo {
  role?: SpeakerRole | undefined;
  name?: string | undefined;
  phone?: string | undefined;
}

export interface AssembleInput {
  format: TranscriptFormat;
  fragments: readonly Fragment[];
  /** Roles (and names) the source states; speakers missing here get inferred roles. */
  speakers?: ReadonlyMap<string, SpeakerInfo>;
  callId?: string | null | undefined;
  startedAt?: string | null | undefined;
  durationMs?: number | null | undefined;
  customerPhone?: string | null | undefined;
  language?: string | null | undefined;
}

const CLAUSE_END = /[。！？，、；：…,.!?;:]$/;
/** Whitespace that is not already one plain space between words (most fragments have none: they are kept as is). */
const UNTIDY_SPACE = /[^\S ]| {2}|^ | $/;
/** The contract's bounds: a longer fragment is cut into pieces, a merge stops before a turn would outgrow it. */
const MAX_TURN_TEXT = 100_000;
const MAX_TURNS = 20_000;

export function assembleTranscript(input: AssembleInput): Transcript {
  const cleaned = input.fragments
    .map((fragment) => (UNTIDY_SPACE.test(fragment.text) ? { ...fragment, text: fragment.text.replace(/\s+/g, ' ').trim() } : fragment))
    .filter((fragment) => fragment.text !== '')
    .flatMap((fragment) => (fragment.text.length <= MAX_TURN_TEXT ? [fragment] : piecesOf(fragment)));
  if (cleaned.length === 0) throw new TranscriptInvalid(`the ${input.format} transcript has no spoken turns`);
  const sorted = cleaned
    .map((fragment, index) => ({ fragment, index, startMs: Math.max(0, Math.round(fragment.startMs)) }))
    .sort((a, b) => a.startMs - b.startMs || a.index - b.index);

  // A turn's text is gathered as parts and joined once (appending to a growing string and testing its end made
  // V8 flatten it at every fragment: the costliest step of parsing a long call).
  const merged: { turn: Omit<TranscriptTurn, 'role'>; parts: string[]; length: number; confidences: number[] }[] = [];
  for (const { fragment, startMs } of sorted) {
    const endMs = fragment.endMs === undefined ? undefined : Math.max(startMs, Math.round(fragment.endMs));
    const last = merged.at(-1);
    if (last?.turn.rawSpeaker === fragment.rawSpeaker && last.length + fragment.text.length < MAX_TURN_TEXT) {
      // The turn ends as its last part does.
      const separator = CLAUSE_END.test(last.parts.at(-1) ?? '') && /^\p{Script=Han}/u.test(fragment.text) ? '' : ' ';
      last.parts.push(separator, fragment.text);
      last.length += separator.length + fragment.text.length;
      if (endMs !== undefined) last.turn.endMs = Math.max(last.turn.endMs ?? endMs, endMs);
      if (fragment.confidence !== undefined) last.confidences.push(fragment.confidence);
      continue;
    }
    merged.push({
      turn: { rawSpeaker: fragment.rawSpeaker, startMs, ...(endMs === undefined ? {} : { endMs }), text: '' },
      parts: [fragment.text],
      length: fragment.text.length,
      confidences: fragment.confidence === undefined ? [] : [fragment.confidence],
    });
  }
  for (const entry of merged) entry.turn.text = entry.parts.length === 1 ? (entry.parts[0] ?? '') : entry.parts.join('');

  if (merged.length > MAX_TURNS) throw new TranscriptInvalid(`the ${input.format} transcript has ${merged.length} turns, more than the ${MAX_TURNS} one call may have`);

  const stated = input.speakers ?? new Map<string, SpeakerInfo>();
  const unlabelled = merged.filter(({ turn }) => stated.get(turn.rawSpeaker)?.role === undefined).map(({ turn }) => turn);
  const inferred = inferRoles(unlabelled);
  const roleOf = (rawSpeaker: string): SpeakerRole => stated.get(rawSpeaker)?.role ?? inferred.get(rawSpeaker) ?? 'unknown';

  const turns: TranscriptTurn[] = merged.map(({ turn, confidences }) => {
    const complete: TranscriptTurn = { rawSpeaker: turn.rawSpeaker, role: roleOf(turn.rawSpeaker), startMs: turn.startMs, text: turn.text };
    if (turn.endMs !== undefined) complete.endMs = turn.endMs;
    if (confidences.length > 0) complete.confidence = round(confidences.reduce((sum, value) => sum + value, 0) / confidences.length);
    return complete;
  });
  const participants: TranscriptParticipant[] = [];
  for (const turn of turns) {
    if (participants.some((participant) => participant.rawSpeaker === turn.rawSpeaker)) continue;
    const info = stated.get(turn.rawSpeaker);
    participants.push({
      rawSpeaker: turn.rawSpeaker,
      role: turn.role,
      ...(info?.name ? { name: info.name } : {}),
      ...(info?.phone ? { phone: info.phone } : {}),
    });
  }
  const lastEnd = turns.reduce((max, turn) => Math.max(max, turn.endMs ?? turn.startMs), 0);
  const customerPhone = input.customerPhone ?? participants.find((participant) => participant.role === 'customer' && participant.phone)?.phone ?? null;

  const candidate = {
    format: input.format,
    callId: input.callId ?? null,
    startedAt: input.startedAt ?? null,
    durationMs: input.durationMs === undefined || input.durationMs === null ? (lastEnd > 0 ? lastEnd : null) : Math.round(input.durationMs),
    customerPhone,
    participants,
    turns,
    language: input.language ?? null,
  };
  const checked = Transcript.safeParse(candidate);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new TranscriptInvalid(`the ${input.format} transcript breaks a limit (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown'})`);
  }
  return checked.data;
}

function piecesOf(fragment: Fragment): Fragment[] {
  const pieces: Fragment[] = [];
  for (let offset = 0; offset < fragment.text.length; offset += MAX_TURN_TEXT) {
    pieces.push({ ...fragment, text: fragment.text.slice(offset, offset + MAX_TURN_TEXT) });
  }
  return pieces;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
