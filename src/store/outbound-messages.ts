/**
 * Customer-facing outbound messages: rows in `messages` (direction 'outbound') before they are jobs (decision 0009).
 * Lifecycle: queued → sent → delivered → read, or queued → retrying → … → failed. `attempts` counts finished
 * delivery attempts and `next_attempt_at` tells the reconciler when a row is due (again). Also: where to answer a
 * complaint (the channel the customer last used) and delivery receipts, which never move a status backwards.
 */
import type { Language, OutboundPurpose, QuickReply } from '../contracts/index.js';
import type { Queryable } from './database.js';

export type OutboundStatus = 'queued' | 'retrying' | 'sent' | 'delivered' | 'read' | 'failed';

export interface NewOutboundMessage {
  id: string;
  complaintId: string;
  conversationKey: string;
  channel: string;
  replyAddress: string;
  text: string;
  quickReplies: readonly QuickReply[];
  purpose: OutboundPurpose;
  language: Language;
  /** `staff:<id>` or `system:<part>`. */
  sentBy: string;
  at: Date;
}

export interface ComplaintConversation {
  channel: string;
  conversationKey: string;
  replyAddress: string;
  reference: string;
  language: Language;
}

export interface OutboundMessageRow {
  id: string;
  complaintId: string;
  complaintReference: string | null;
  channel: string;
  conversationKey: string;
  replyAddress: string;
  text: string;
  quickReplies: QuickReply[];
  purpose: OutboundPurpose;
  language: Language;
  status: OutboundStatus;
  attempts: number;
  lastError: string | null;
  vendorMessageId: string | null;
  nextAttemptAt: Date | null;
  sentBy: string | null;
}

interface OutboundRecordRow {
  id: string;
  complaint_id: string;
  reference: string | null;
  channel: string;
  conversation_key: string;
  reply_address: string;
  text: string;
  quick_replies: QuickReply[];
  purpose: OutboundPurpose;
  locale: string | null;
  status: OutboundStatus;
  attempts: number;
  last_error: string | null;
  vendor_message_id: string | null;
  next_attempt_at: Date | null;
  sent_by: string | null;
}

/** `zh-Hans-CN` → zh, `en_GB` → en, anything else → und. */
export function toLanguage(value: string | null | undefined): Language {
  const lower = value?.toLowerCase() ?? '';
  if (lower === 'zh' || lower.startsWith('zh-') || lower.startsWith('zh_')) return 'zh';
  if (lower === 'en' || lower.startsWith('en-') || lower.startsWith('en_')) return 'en';
  return 'und';
}

function toRow(row: OutboundRecordRow): OutboundMessageRow {
  return {
    id: row.id,
    complaintId: row.complaint_id,
    complaintReference: row.reference,
    channel: row.channel,
    conversationKey: row.conversation_key,
    replyAddress: row.reply_address,
    text: row.text,
    quickReplies: row.quick_replies,
    purpose: row.purpose,
    language: toLanguage(row.locale),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    vendorMessageId: row.vendor_message_id,
    nextAttemptAt: row.next_attempt_at,
    sentBy: row.sent_by,
  };
}

const OUTBOUND_COLUMNS = `m.id, m.complaint_id, c.reference, m.channel, m.conversation_key, m.reply_address, m.text, m.quick_replies,
  m.purpose, m.locale, m.status, m.attempts, m.last_error, m.vendor_message_id, m.next_attempt_at, m.sent_by`;

/** Last error texts are cut so a receiver's huge error page does not bloat the row. */
const MAX_ERROR_CHARS = 1000;

export async function insertOutboundMessage(tx: Queryable, message: NewOutboundMessage): Promise<void> {
  await tx.query(
    `INSERT INTO messages (id, direction, channel, channel_message_id, conversation_key, complaint_id, sender, text, locale,
       reply_address, sent_at, received_at, status, attempts, purpose, quick_replies, next_attempt_at, sent_by)
     VALUES ($1, 'outbound', $2, $3, $4, $5, '{"id":"ombuds"}'::jsonb, $6, $7, $8, $9, $9, 'queued', 0, $10, $11::jsonb, $9, $12)`,
    [
      message.id,
      message.channel,
      `out-${message.id}`,
      message.conversationKey,
      message.complaintId,
      message.text,
      message.language,
      message.replyAddress,
      message.at,
      message.purpose,
      JSON.stringify(message.quickReplies),
      message.sentBy,
    ],
  );
}

/**
 * Where to answer a complaint: the channel, conversation and reply address of its latest inbound message (the
 * channel the customer last used; messages of complaints merged into it count), its reference, and the
 * customer's language (the record's, else the customer's, else `und`). With `channel`, the latest inbound message
 * on that channel (staff answering elsewhere than the customer last wrote). Null when there is no such message.
 */
export async function findComplaintConversation(tx: Queryable, complaintId: string, channel?: string): Promise<ComplaintConversation | null> {
  const result = await tx.query<{ channel: string; conversation_key: string; reply_address: string; reference: string; language: string | null }>(
    `SELECT m.channel, m.conversation_key, m.reply_address, c.reference,
       COALESCE(c.record #>> '{customer,language}', cu.language) AS language
     FROM complaints c
     JOIN messages m ON m.direction = 'inbound'
       AND m.complaint_id = ANY(ARRAY(SELECT $1::uuid UNION ALL SELECT merged.id FROM complaints merged WHERE merged.merged_into = $1::uuid))
     LEFT JOIN customers cu ON cu.id = c.customer_id
     WHERE c.id = $1 AND ($2::text IS NULL OR m.channel = $2)
     ORDER BY m.received_at DESC, m.sent_at DESC, m.id DESC
     LIMIT 1`,
    [complaintId, channel ?? null],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    channel: row.channel,
    conversationKey: row.conversation_key,
    replyAddress: row.reply_address,
    reference: row.reference,
    language: toLanguage(row.language),
  };
}

/**
 * Whether an earlier outbound message of the same conversation is still on its first way out (`queued`): the
 * processor lets it go first, so a chat customer reads a turn's replies in order. Retrying ones do not hold the
 * conversation up.
 */
export async function hasEarlierQueuedOutbound(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query<{ waiting: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM messages m JOIN messages e
         ON e.direction = 'outbound' AND e.channel = m.channel AND e.conversation_key = m.conversation_key
        AND e.status = 'queued' AND (e.received_at, e.id) < (m.received_at, m.id)
       WHERE m.id = $1) AS waiting`,
    [id],
  );
  return result.rows[0]?.waiting === true;
}

/** Locks an outbound message for a delivery decision (FOR UPDATE); null when there is no such outbound row. */
export async function lockOutboundForDelivery(tx: Queryable, id: string): Promise<OutboundMessageRow | null> {
  const result = await tx.query<OutboundRecordRow>(
    `SELECT ${OUTBOUND_COLUMNS}
     FROM messages m LEFT JOIN complaints c ON c.id = m.complaint_id
     WHERE m.id = $1 AND m.direction = 'outbound'
     FOR UPDATE OF m`,
    [id],
  );
  const row = result.rows[0];
  return row ? toRow(row) : null;
}

/** Reads an outbound message without locking it; null when there is none. */
export async function findOutboundMessage(db: Queryable, id: string): Promise<OutboundMessageRow | null> {
  const result = await db.query<OutboundRecordRow>(
    `SELECT ${OUTBOUND_COLUMNS} FROM messages m LEFT JOIN complaints c ON c.id = m.complaint_id
     WHERE m.id = $1 AND m.direction = 'outbound'`,
    [id],
  );
  const row = result.rows[0];
  return row ? toRow(row) : null;
}

/**
 * Moves a pending row's `next_attempt_at` to `until` while an attempt is in flight, so the reconciler does not
 * re-enqueue it meanwhile; if the worker dies, the row is due again when the lease ends.
 */
export async function leaseOutbound(tx: Queryable, id: string, until: Date): Promise<void> {
  await tx.query(
    `UPDATE messages SET next_attempt_at = $2 WHERE id = $1 AND direction = 'outbound' AND status IN ('queued', 'retrying')`,
    [id, until],
  );
}

export async function markOutboundSent(tx: Queryable, id: string, result: { vendorMessageId?: string | null; at: Date }): Promise<void> {
  await tx.query(
    `UPDATE messages SET status = 'sent', attempts = attempts + 1, vendor_message_id = $2, sent_at = $3, processed_at = $3,
       next_attempt_at = NULL, last_error = NULL
     WHERE id = $1 AND direction = 'outbound'`,
    [id, result.vendorMessageId ?? null, result.at],
  );
}

export async function markOutboundRetrying(tx: Queryable, id: string, result: { error: string; nextAttemptAt: Date }): Promise<void> {
  await tx.query(
    `UPDATE messages SET status = 'retrying', attempts = attempts + 1, last_error = $2, next_attempt_at = $3
     WHERE id = $1 AND direction = 'outbound'`,
    [id, result.error.slice(0, MAX_ERROR_CHARS), result.nextAttemptAt],
  );
}

export async function markOutboundFailed(tx: Queryable, id: string, result: { error: string; at: Date }): Promise<void> {
  await tx.query(
    `UPDATE messages SET status = 'failed', attempts = attempts + 1, last_error = $2, next_attempt_at = NULL, processed_at = $3
     WHERE id = $1 AND direction = 'outbound'`,
    [id, result.error.slice(0, MAX_ERROR_CHARS), result.at],
  );
}

/**
 * Queued or retrying rows whose next attempt is due, in (next_attempt_at, id) order from after `after` (keyset
 * paging), with the attempt number their next job has.
 */
export async function listDueOutbound(
  db: Queryable,
  options: { now: Date; limit: number; after?: { nextAttemptAt: Date; id: string } },
): Promise<{ id: string; channel: string; nextAttempt: number; nextAttemptAt: Date }[]> {
  const result = await db.query<{ id: string; channel: string; attempts: number; next_attempt_at: Date }>(
    `SELECT id, channel, attempts, next_attempt_at FROM messages
     WHERE direction = 'outbound' AND status IN ('queued', 'retrying') AND next_attempt_at <= $1
       AND ($3::timestamptz IS NULL OR (next_attempt_at, id) > ($3::timestamptz, $4::uuid))
     ORDER BY next_attempt_at ASC, id ASC LIMIT $2`,
    [options.now, options.limit, options.after?.nextAttemptAt ?? null, options.after?.id ?? null],
  );
  return result.rows.map((row) => ({ id: row.id, channel: row.channel, nextAttempt: row.attempts + 1, nextAttemptAt: row.next_attempt_at }));
}

export interface DeliveryReceipt {
  channel: string;
  vendorMessageId: string;
  status: 'delivered' | 'read' | 'failed';
  at: Date;
  /** The vendor's reason, for `failed`. */
  error?: string;
}

/**
 * Applies a channel's delivery receipt to the message it sent under `vendorMessageId`. Statuses only move forward
 * (sent → delivered → read; `failed` only from a message not yet delivered): a late `delivered` after `read`, or
 * a receipt repeated, changes nothing. Returns the message and whether the receipt changed it; null when no
 * outbound message carries that vendor id.
 */
export async function applyDeliveryReceipt(
  tx: Queryable,
  receipt: DeliveryReceipt,
): Promise<{ messageId: string; complaintId: string | null; status: OutboundStatus; applied: boolean } | null> {
  const updated = await tx.query<{ id: string; complaint_id: string | null; status: OutboundStatus }>(
    `UPDATE messages SET
       status = $3,
       delivered_at = CASE WHEN $3 IN ('delivered', 'read') THEN COALESCE(delivered_at, $4) ELSE delivered_at END,
       last_error = CASE WHEN $3 = 'failed' THEN $5 ELSE last_error END,
       next_attempt_at = NULL
     WHERE direction = 'outbound' AND channel = $1 AND vendor_message_id = $2
       AND CASE $3
             WHEN 'delivered' THEN status IN ('queued', 'retrying', 'sent')
             WHEN 'read' THEN status IN ('queued', 'retrying', 'sent', 'delivered')
             ELSE status IN ('queued', 'retrying', 'sent')
           END
     RETURNING id, complaint_id, status`,
    [receipt.channel, receipt.vendorMessageId, receipt.status, receipt.at, receipt.error?.slice(0, MAX_ERROR_CHARS) ?? 'failed (receipt)'],
  );
  const changed = updated.rows[0];
  if (changed) return { messageId: changed.id, complaintId: changed.complaint_id, status: changed.status, applied: true };
  const existing = await tx.query<{ id: string; complaint_id: string | null; status: OutboundStatus }>(
    `SELECT id, complaint_id, status FROM messages WHERE direction = 'outbound' AND channel = $1 AND vendor_message_id = $2
     ORDER BY sent_at DESC LIMIT 1`,
    [receipt.channel, receipt.vendorMessageId],
  );
  const row = existing.rows[0];
  return row ? { messageId: row.id, complaintId: row.complaint_id, status: row.status, applied: false } : null;
}
