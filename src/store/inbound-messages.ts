/**
 * Persisting accepted inbound messages: the intake hot path. One statement per batch writes every new message,
 * its complaint shell (with the reference the customer is told) and the first audit event, or recognises a
 * duplicate by (channel, channel_message_id). One statement is one implicit transaction and one round trip.
 */
import type { Database, Queryable } from './database.js';
import { firstEvent } from './audit-trail.js';

export interface NewInboundMessage {
  messageId: string;
  complaintId: string;
  channel: string;
  channelMessageId: string;
  conversationKey: string;
  sender: Record<string, unknown>;
  /** Already PII-redacted. */
  text: string;
  attachments: unknown[];
  fields: Record<string, unknown> | null;
  locale: string | null;
  replyAddress: string;
  /** Already PII-redacted. */
  raw: unknown;
  sentAt: Date;
  receivedAt: Date;
  /** Salted hashes of the identifiers found in the text (for linking repeats). */
  identifierHashes: string[];
  /** Phones and e-mails found in the text (the customer's contacts). */
  textContacts: { type: 'phone' | 'email'; value: string }[];
}

export interface AcceptedRow {
  messageId: string;
  complaintId: string | null;
  reference: string | null;
  duplicate: boolean;
  /** Set when the message is a duplicate that is still waiting to be processed. */
  pending: boolean;
}

const INSERT_BATCH = `
WITH input AS (
  SELECT * FROM unnest(
    $1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::jsonb[], $9::jsonb[],
    $10::text[], $11::text[], $12::jsonb[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[],
    $18::jsonb[], $19::jsonb[]
  ) AS t(message_id, complaint_id, channel, channel_message_id, conversation_key, sender, text, attachments, fields,
         locale, reply_address, raw, sent_at, received_at, event_hash, event_actor, identifier_hashes, text_contacts)
),
inserted AS (
  INSERT INTO messages (id, direction, channel, channel_message_id, conversation_key, complaint_id, sender, text,
                        attachments, fields, locale, reply_address, raw, sent_at, received_at, status,
                        identifier_hashes, text_contacts)
  SELECT message_id, 'inbound', channel, channel_message_id, conversation_key, complaint_id, sender, text,
         attachments, fields, locale, reply_address, raw, sent_at, received_at, 'pending',
         ARRAY(SELECT jsonb_array_elements_text(identifier_hashes)), text_contacts
  FROM input
  ON CONFLICT (channel, channel_message_id) DO NOTHING
  RETURNING id, complaint_id
),
complaint AS (
  INSERT INTO complaints (id, reference, stage, channel, received_at)
  SELECT i.complaint_id,
         'CMP-' || to_char(i.received_at AT TIME ZONE $17, 'YYYY') || '-' || lpad(nextval('complaint_reference_seq')::text, 6, '0'),
         'intake', i.channel, i.received_at
  FROM input i JOIN inserted ON inserted.id = i.message_id
  RETURNING id, reference
),
event AS (
  INSERT INTO complaint_events (complaint_id, seq, type, actor, data, created_at, prev_hash, hash)
  SELECT i.complaint_id, 1, 'received', i.event_actor,
         jsonb_build_object('messageId', i.message_id::text, 'channel', i.channel),
         i.received_at, NULL, i.event_hash
  FROM input i JOIN inserted ON inserted.id = i.message_id
)
SELECT i.message_id AS submitted_id,
       COALESCE(inserted.id, existing.id) AS message_id,
       COALESCE(complaint.id, existing.complaint_id) AS complaint_id,
       COALESCE(complaint.reference, existing_complaint.reference) AS reference,
       inserted.id IS NULL AS duplicate,
       existing.status = 'pending' AS pending
FROM input i
LEFT JOIN inserted ON inserted.id = i.message_id
LEFT JOIN complaint ON complaint.id = i.complaint_id
LEFT JOIN messages existing ON inserted.id IS NULL
  AND existing.channel = i.channel AND existing.channel_message_id = i.channel_message_id
LEFT JOIN complaints existing_complaint ON existing_complaint.id = existing.complaint_id`;

interface BatchRow {
  submitted_id: string;
  message_id: string | null;
  complaint_id: string | null;
  reference: string | null;
  duplicate: boolean;
  pending: boolean | null;
}

/** The actor recorded on the `received` event (and covered by its hash). */
export function receivedActor(channel: string): string {
  return `channel:${channel}`;
}

/**
 * Inserts a batch (distinct (channel, channelMessageId) pairs) and returns one row per input, in input order.
 * A duplicate that a concurrent writer committed after this statement's snapshot is looked up again.
 */
export async function insertInboundBatch(
  db: Database | Queryable,
  messages: readonly NewInboundMessage[],
  timeZone: string,
): Promise<AcceptedRow[]> {
  const column = <T>(pick: (message: NewInboundMessage) => T) => messages.map(pick);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  const hashes = messages.map(
    (message) =>
      firstEvent({
        complaintId: message.complaintId,
        type: 'received',
        actor: receivedActor(message.channel),
        data: { messageId: message.messageId, channel: message.channel },
        at: message.receivedAt,
      }).hash,
  );
  const result = await db.query<BatchRow>(INSERT_BATCH, [
    column((m) => m.messageId),
    column((m) => m.complaintId),
    column((m) => m.channel),
    column((m) => m.channelMessageId),
    column((m) => m.conversationKey),
    column((m) => json(m.sender)),
    column((m) => m.text),
    column((m) => json(m.attachments)),
    column((m) => json(m.fields)),
    column((m) => m.locale),
    column((m) => m.replyAddress),
    column((m) => json(m.raw)),
    column((m) => m.sentAt.toISOString()),
    column((m) => m.receivedAt.toISOString()),
    hashes,
    column((m) => receivedActor(m.channel)),
    timeZone,
    column((m) => JSON.stringify(m.identifierHashes)),
    column((m) => JSON.stringify(m.textContacts)),
  ]);
  const bySubmitted = new Map(result.rows.map((row) => [row.submitted_id, row]));
  const out: AcceptedRow[] = [];
  for (const message of messages) {
    const row = bySubmitted.get(message.messageId);
    if (row?.message_id) {
      out.push({
        messageId: row.message_id,
        complaintId: row.complaint_id,
        reference: row.reference,
        duplicate: row.duplicate,
        pending: row.duplicate ? row.pending === true : true,
      });
    } else {
      out.push(await lookupExisting(db, message));
    }
  }
  return out;
}

async function lookupExisting(db: Queryable, message: NewInboundMessage): Promise<AcceptedRow> {
  const found = await db.query<{ id: string; complaint_id: string | null; reference: string | null; status: string }>(
    `SELECT m.id, m.complaint_id, c.reference, m.status FROM messages m LEFT JOIN complaints c ON c.id = m.complaint_id
     WHERE m.channel = $1 AND m.channel_message_id = $2`,
    [message.channel, message.channelMessageId],
  );
  const row = found.rows[0];
  if (!row) throw new Error('message neither inserted nor found');
  return { messageId: row.id, complaintId: row.complaint_id, reference: row.reference, duplicate: true, pending: row.status === 'pending' };
}

/** Pending inbound messages (the reconciler's view), oldest first, in pages after `afterId`. */
export async function listPendingInbound(
  db: Queryable,
  options: { limit: number; after?: { receivedAt: Date; id: string } },
): Promise<{ id: string; receivedAt: Date }[]> {
  const result = await db.query<{ id: string; received_at: Date }>(
    `SELECT id, received_at FROM messages
     WHERE status = 'pending' AND direction = 'inbound'
       AND ($2::timestamptz IS NULL OR (received_at, id) > ($2::timestamptz, $3::uuid))
     ORDER BY received_at, id LIMIT $1`,
    [options.limit, options.after?.receivedAt ?? null, options.after?.id ?? null],
  );
  return result.rows.map((row) => ({ id: row.id, receivedAt: row.received_at }));
}
