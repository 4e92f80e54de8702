/**
 * A hotline call as intake reads it back from its stored message (issue 7 item 2): the transcript kept as the
 * message's raw payload (redacted), the agent's and the customer's words, and what the agent confirmed on the
 * call — the amount and the incident date found in the agent's turns win over the customer's first words (the
 * agent repeats them back to check). The classifier's extractors live here in intake, not in the adapter.
 */
import { SpeakerRole } from '../contracts/index.js';
import { extractIncidentDate, largestAmount, parseAmounts } from '../classifier/index.js';
import type { AuditEventInput, InboundMessageRow } from '../store/index.js';

/** The parts of a stored transcript intake reads. */
interface StoredCall {
  format: string;
  callId: string | null;
  startedAt: string | null;
  durationMs: number | null;
  turns: { role: SpeakerRole; text: string }[];
}

const ROLES = new Set<string>(SpeakerRole.options);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stringOr = <T>(value: unknown, fallback: T): string | T => (typeof value === 'string' ? value : fallback);

/**
 * Reads the stored transcript loosely, on purpose: the stored copy is redacted, so lengths and formats the
 * Transcript contract checks at the adapter may no longer hold. A field of the wrong type takes its default; turns
 * that are not all objects read as none. Written by hand, not as a zod schema with a fallback per turn: a call
 * has hundreds of turns and this runs for every one the worker takes.
 */
function readStoredCall(raw: unknown): StoredCall {
  if (!isRecord(raw)) return { format: 'unknown', callId: null, startedAt: null, durationMs: null, turns: [] };
  const turns: StoredCall['turns'] = [];
  if (Array.isArray(raw.turns)) {
    for (const turn of raw.turns as unknown[]) {
      if (!isRecord(turn)) {
        turns.length = 0;
        break;
      }
      const role = typeof turn.role === 'string' && ROLES.has(turn.role) ? (turn.role as SpeakerRole) : 'unknown';
      turns.push({ role, text: stringOr(turn.text, '') });
    }
  }
  return {
    format: stringOr(raw.format, 'unknown'),
    callId: stringOr(raw.callId, null),
    startedAt: stringOr(raw.startedAt, null),
    durationMs: typeof raw.durationMs === 'number' && Number.isFinite(raw.durationMs) ? raw.durationMs : null,
    turns,
  };
}

export interface CallRecord {
  callId: string | null;
  format: string;
  startedAt: string | null;
  durationMs: number | null;
  takenBy: string | null;
  /** Every turn's text, for a complaint reference said by either side. */
  wholeText: string;
  /** The message with the agent-confirmed facts as its fields. */
  message: InboundMessageRow;
  /** Which facts came from the agent's turns. */
  confirmedByAgent: ('amount' | 'incidentDate')[];
}

function textOf(turns: readonly { role: SpeakerRole; text: string }[], role?: SpeakerRole): string {
  return turns
    .filter((turn) => role === undefined || turn.role === role)
    .map((turn) => turn.text)
    .join('\n');
}

/** The call behind a hotline message, from its stored transcript (`raw`); a payload that is not one yields no turns. */
export function readCallRecord(message: InboundMessageRow, raw: unknown, timeZone: string): CallRecord {
  const call = readStoredCall(raw);
  const agentText = textOf(call.turns, 'agent');
  const dateOptions = { now: message.receivedAt, timeZone };
  const agentAmount = largestAmount(parseAmounts(agentText));
  const agentDate = extractIncidentDate(agentText, dateOptions);
  const customerDate = extractIncidentDate(message.text, dateOptions);
  const fields: Record<string, unknown> = { ...(message.fields ?? {}) };
  if (agentAmount) fields.amount = { value: agentAmount.value, currency: agentAmount.currency };
  const incidentDate = agentDate ?? customerDate;
  if (incidentDate) fields.incidentDate = incidentDate;
  const takenBy = typeof message.fields?.takenBy === 'string' ? message.fields.takenBy : null;
  return {
    callId: call.callId,
    format: call.format,
    startedAt: call.startedAt,
    durationMs: call.durationMs,
    takenBy,
    wholeText: call.turns.length > 0 ? textOf(call.turns) : message.text,
    message: { ...message, fields },
    confirmedByAgent: [...(agentAmount ? (['amount'] as const) : []), ...(agentDate ? (['incidentDate'] as const) : [])],
  };
}

/** The audit event that says who took the call and when it started (recorded before registration's own). */
export function callRecordedEvent(complaintId: string, messageId: string, call: CallRecord, actor: string, at: Date): AuditEventInput {
  return {
    complaintId,
    type: 'call.recorded',
    actor,
    data: {
      messageId,
      callId: call.callId,
      format: call.format,
      takenBy: call.takenBy,
      callStartedAt: call.message.receivedAt.toISOString(),
      durationMs: call.durationMs,
      confirmedByAgent: call.confirmedByAgent,
    },
    at,
  };
}
