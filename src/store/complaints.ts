/**
 * Complaints and their inbound messages as the intake worker and the staff API see them.
 */
import type { ComplaintRecord } from '../contracts/index.js';
import type { ChainHead } from './audit-trail.js';
import type { Queryable } from './database.js';

export interface InboundMessageRow {
  id: string;
  channel: string;
  channelMessageId: string;
  conversationKey: string;
  complaintId: string;
  sender: { id: string; displayName?: string; phone?: string; email?: string };
  text: string;
  attachments: unknown[];
  fields: Record<string, unknown> | null;
  locale: string | null;
  replyAddress: string;
  sentAt: Date;
  receivedAt: Date;
  status: string;
  attempts: number;
  identifierHashes: string[];
  textContacts: { type: 'phone' | 'email'; value: string }[];
}

interface MessageRecordRow {
  id: string;
  channel: string;
  channel_message_id: string;
  conversation_key: string;
  complaint_id: string;
  sender: InboundMessageRow['sender'];
  text: string;
  attachments: unknown[];
  fields: Record<string, unknown> | null;
  locale: string | null;
  reply_address: string;
  sent_at: Date;
  received_at: Date;
  status: string;
  attempts: number;
  identifier_hashes: string[];
  text_contacts: { type: 'phone' | 'email'; value: string }[];
}

function toInbound(row: MessageRecordRow): InboundMessageRow {
  return {
    id: row.id,
    channel: row.channel,
    channelMessageId: row.channel_message_id,
    conversationKey: row.conversation_key,
    complaintId: row.complaint_id,
    sender: row.sender,
    text: row.text,
    attachments: row.attachments,
    fields: row.fields,
    locale: row.locale,
    replyAddress: row.reply_address,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    status: row.status,
    attempts: row.attempts,
    identifierHashes: row.identifier_hashes,
    textContacts: row.text_contacts,
  };
}

/**
 * Locks an inbound message and its complaint for processing (a second worker on the same message waits, then
 * sees it processed). Counts the attempt. Returns null when the message does not exist.
 */
export async function lockInboundForProcessing(
  tx: Queryable,
  messageId: string,
): Promise<{ message: InboundMessageRow; reference: string; chainHead: ChainHead } | null> {
  const result = await tx.query<MessageRecordRow & { reference: string; head_seq: number | null; head_hash: string | null }>(
    `SELECT m.*, c.reference, head.seq AS head_seq, head.hash AS head_hash
     FROM messages m JOIN complaints c ON c.id = m.complaint_id
     LEFT JOIN LATERAL (SELECT seq, hash FROM complaint_events e WHERE e.complaint_id = c.id ORDER BY seq DESC LIMIT 1) head ON true
     WHERE m.id = $1 AND m.direction = 'inbound' FOR UPDATE OF m, c`,
    [messageId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return { message: toInbound(row), reference: row.reference, chainHead: { seq: row.head_seq ?? 0, hash: row.head_hash } };
}

/** The earliest inbound message of a complaint (a dialog's first message), or null. */
export async function findFirstInboundMessage(db: Queryable, complaintId: string): Promise<InboundMessageRow | null> {
  const result = await db.query<MessageRecordRow>(
    `SELECT * FROM messages WHERE complaint_id = $1 AND direction = 'inbound' ORDER BY received_at, id LIMIT 1`,
    [complaintId],
  );
  const row = result.rows[0];
  return row ? toInbound(row) : null;
}

export async function markInboundProcessed(tx: Queryable, messageId: string, at: Date): Promise<void> {
  await tx.query(
    `UPDATE messages SET status = 'processed', processed_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1`,
    [messageId, at],
  );
}

/** Records that processing gave up: visible to staff and metrics, skipped by the reconciler. */
export async function markInboundFailed(db: Queryable, messageId: string, errorCode: string, attempts: number): Promise<void> {
  await db.query(`UPDATE messages SET status = 'failed', last_error = $2, attempts = $3 WHERE id = $1 AND status = 'pending'`, [
    messageId,
    errorCode,
    attempts,
  ]);
}

export interface ComplaintRow {
  id: string;
  reference: string;
  stage: string;
  channel: string;
  team: string | null;
  assignee: string | null;
  record: ComplaintRecord | null;
  receivedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A complaint by id (uuid) or reference (`CMP-…`). */
export async function findComplaint(db: Queryable, idOrReference: string): Promise<ComplaintRow | null> {
  const byReference = idOrReference.startsWith('CMP-');
  if (!byReference && !UUID.test(idOrReference)) return null;
  const result = await db.query<{
    id: string;
    reference: string;
    stage: string;
    channel: string;
    team: string | null;
    assignee: string | null;
    record: ComplaintRecord | null;
    received_at: Date;
  }>(
    `SELECT id, reference, stage, channel, team, assignee, record, received_at FROM complaints WHERE ${byReference ? 'reference' : 'id'} = $1`,
    [idOrReference],
  );
  const row = result.rows[0];
  return row
    ? {
        id: row.id,
        reference: row.reference,
        stage: row.stage,
        channel: row.channel,
        team: row.team,
        assignee: row.assignee,
        record: row.record,
        receivedAt: row.received_at,
      }
    : null;
}

export interface MessageSummaryRow {
  id: string;
  direction: 'inbound' | 'outbound';
  channel: string;
  text: string;
  sentAt: Date;
  receivedAt: Date;
  status: string;
}

export async function listComplaintMessages(db: Queryable, complaintId: string): Promise<MessageSummaryRow[]> {
  const result = await db.query<{ id: string; direction: 'inbound' | 'outbound'; channel: string; text: string; sent_at: Date; received_at: Date; status: string }>(
    `SELECT id, direction, channel, text, sent_at, received_at, status FROM messages WHERE complaint_id = $1 ORDER BY received_at, id`,
    [complaintId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    direction: row.direction,
    channel: row.channel,
    text: row.text,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    status: row.status,
  }));
}
