/**
 * A complaint's timeline for the staff console (issue 8): the whole conversation across channels, oldest first —
 * what the customer sent (a hotline call turn by turn, from its stored redacted transcript), Ombuds's automatic
 * replies, staff replies with the staff member's name, internal notes, and stage changes from the audit trail.
 * Texts are the stored ones, redacted at intake. Messages of complaints merged into this one (a dialog's turns, an
 * attached call) are part of it.
 */
import { z } from 'zod';
import { HOTLINE_CHANNEL, type TimelineEntry, type TranscriptTurnView } from '../contracts/index.js';
import type { Queryable } from './database.js';

interface MessageRow {
  id: string;
  direction: 'inbound' | 'outbound';
  channel: string;
  text: string;
  status: string;
  sent_by: string | null;
  author: string | null;
  received_at: Date;
  transcript: unknown;
}

interface EventRow {
  seq: number;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
  author: string | null;
}

/** The stored call, read leniently: a turn the redaction or an older format left incomplete is skipped. */
const StoredTranscript = z.object({
  callId: z.string().nullable().optional(),
  turns: z.array(z.unknown()).default([]),
});
const StoredTurn = z.object({
  role: z.enum(['customer', 'agent', 'ivr', 'unknown']).catch('unknown'),
  startMs: z.number().nonnegative().nullable().optional(),
  text: z.string(),
});

/** Audit events shown on the timeline. */
const TIMELINE_EVENTS = ['note.added', 'stage.changed', 'registered'];

function turnsOf(raw: unknown, messageId: string): TimelineEntry['transcript'] {
  const parsed = StoredTranscript.safeParse(raw);
  if (!parsed.success) return null;
  const turns: TranscriptTurnView[] = [];
  for (const candidate of parsed.data.turns) {
    const turn = StoredTurn.safeParse(candidate);
    if (turn.success) turns.push({ speaker: turn.data.role, startSeconds: turn.data.startMs == null ? null : turn.data.startMs / 1000, text: turn.data.text });
  }
  return { callId: parsed.data.callId ?? messageId, turns };
}

function messageEntry(row: MessageRow): TimelineEntry {
  const byStaff = row.direction === 'outbound' && row.sent_by?.startsWith('staff:') === true;
  return {
    id: `message:${row.id}`,
    at: row.received_at.toISOString(),
    kind: row.direction === 'inbound' ? 'customer' : byStaff ? 'agent' : 'bot',
    channel: row.channel,
    author: byStaff ? row.author : null,
    text: row.text,
    status: row.direction === 'outbound' ? row.status : null,
    transcript: row.transcript === null ? null : turnsOf(row.transcript, row.id),
  };
}

function eventText(row: EventRow): string {
  if (row.type === 'note.added') return typeof row.data.text === 'string' ? row.data.text : '';
  if (row.type === 'registered') return 'Registered';
  const from = typeof row.data.from === 'string' ? row.data.from : '?';
  const to = typeof row.data.to === 'string' ? row.data.to : '?';
  return `Stage ${from} → ${to}${typeof row.data.reason === 'string' ? ` (${row.data.reason})` : ''}`;
}

function eventEntry(row: EventRow): TimelineEntry {
  const note = row.type === 'note.added';
  return {
    id: `event:${String(row.seq)}`,
    at: row.created_at.toISOString(),
    kind: note ? 'note' : 'system',
    channel: null,
    author: note ? row.author : null,
    text: eventText(row),
    status: null,
    transcript: null,
  };
}

const STAFF_OF = (column: string) => `LEFT JOIN staff s ON ${column} LIKE 'staff:%' AND s.id::text = substr(${column}, 7)`;

/** The complaint's timeline, oldest first (at equal times, messages before audit entries). */
export async function readTimeline(db: Queryable, complaintId: string): Promise<TimelineEntry[]> {
  const [messages, events] = await Promise.all([
    db.query<MessageRow>(
      `SELECT m.id, m.direction, m.channel, m.text, m.status, m.sent_by, s.display_name AS author, m.received_at,
         CASE WHEN m.direction = 'inbound' AND m.channel = $2 THEN m.raw END AS transcript
       FROM messages m ${STAFF_OF('m.sent_by')}
       WHERE m.complaint_id = ANY(ARRAY(SELECT $1::uuid UNION ALL SELECT merged.id FROM complaints merged WHERE merged.merged_into = $1::uuid))
       ORDER BY m.received_at, m.id`,
      [complaintId, HOTLINE_CHANNEL],
    ),
    db.query<EventRow>(
      `SELECT e.seq, e.type, e.data, e.created_at, s.display_name AS author
       FROM complaint_events e ${STAFF_OF('e.actor')}
       WHERE e.complaint_id = $1 AND e.type = ANY($2::text[]) ORDER BY e.seq`,
      [complaintId, TIMELINE_EVENTS],
    ),
  ]);
  const entries = [...messages.rows.map(messageEntry), ...events.rows.map(eventEntry)];
  // A stable sort keeps each source's own order (received time and id; audit sequence) among equal times.
  return entries.sort((left, right) => Date.parse(left.at) - Date.parse(right.at));
}
