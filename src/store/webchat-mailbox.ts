/**
 * The web chat mailbox: a session's conversation as its event stream reads it — the customer's messages and the
 * messages to them (outbound rows, decision 0009), in one order that every process agrees on — and the receipts
 * the browser sends for what it displayed.
 *
 * Order and cursor. Rows are ordered by (received_at, id); a cursor is that pair, with the time in microseconds
 * (PostgreSQL's precision, so it is exact). A row can commit after a later-ordered one (its transaction was
 * slower, or another process's clock ran behind), so a cursor alone could skip it. Hence the at-least-once rule:
 * reading "after a cursor" also returns every message to the customer not yet acknowledged (queued, retrying or
 * sent), wherever it sits; the reader ignores ids it already has. Failed outbound rows are never shown.
 */
import type { QuickReply } from '../contracts/index.js';
import type { Queryable } from './database.js';
import { applyDeliveryReceipt, type OutboundStatus } from './outbound-messages.js';

export interface MailboxCursor {
  /** received_at in microseconds since the epoch, as a decimal string. */
  micros: string;
  id: string;
}

export interface MailboxEntry {
  id: string;
  cursor: MailboxCursor;
  direction: 'inbound' | 'outbound';
  /** The inbound message's channel message id (outbound rows: `out-<id>`). */
  channelMessageId: string;
  text: string;
  quickReplies: QuickReply[];
  /** Outbound: `system:<part>` or `staff:<id>`; inbound: null. */
  sentBy: string | null;
  at: Date;
  status: string;
}

const CURSOR = /^(\d{1,20})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `<micros>.<uuid>`: the SSE event id. */
export function formatMailboxCursor(cursor: MailboxCursor): string {
  return `${cursor.micros}.${cursor.id}`;
}

/** The cursor an event id names, or null for anything else (the reader then starts from the beginning). */
export function parseMailboxCursor(value: string | undefined): MailboxCursor | null {
  const match = value === undefined ? null : CURSOR.exec(value.trim());
  return match?.[1] && match[2] ? { micros: match[1], id: match[2] } : null;
}

interface MailboxRow {
  id: string;
  direction: 'inbound' | 'outbound';
  channel_message_id: string;
  text: string;
  quick_replies: QuickReply[] | null;
  sent_by: string | null;
  received_at: Date;
  status: string;
  micros: string;
}

/**
 * The conversation's messages after `after` (all of them when null), plus every message to the customer not yet
 * acknowledged, oldest first, at most `limit`.
 */
export async function listWebChatMailbox(
  db: Queryable,
  query: { channel: string; conversationKey: string; after: MailboxCursor | null; limit: number },
): Promise<MailboxEntry[]> {
  const result = await db.query<MailboxRow>(
    `SELECT m.id, m.direction, m.channel_message_id, m.text, m.quick_replies, m.sent_by, m.received_at, m.status,
            ((extract(epoch FROM m.received_at) * 1000000)::bigint)::text AS micros
     FROM messages m
     WHERE m.channel = $1 AND m.conversation_key = $2
       AND (m.direction = 'inbound' OR m.status <> 'failed')
       AND ($3::bigint IS NULL
            OR (m.received_at, m.id) > (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::uuid)
            OR (m.direction = 'outbound' AND m.status IN ('queued', 'retrying', 'sent')))
     ORDER BY m.received_at ASC, m.id ASC
     LIMIT $5`,
    [query.channel, query.conversationKey, query.after?.micros ?? null, query.after?.id ?? null, query.limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    cursor: { micros: row.micros, id: row.id },
    direction: row.direction,
    channelMessageId: row.channel_message_id,
    text: row.text,
    quickReplies: row.quick_replies ?? [],
    sentBy: row.sent_by,
    at: row.received_at,
    status: row.status,
  }));
}

/**
 * Records that the browser displayed these messages: each id that is a message to this conversation becomes
 * `delivered` (through applyDeliveryReceipt, keyed on the vendor id, which for web chat is the message's own id —
 * given here too if the row was displayed before its sender had run). Ids of other conversations, inbound rows and
 * unknown ids are ignored. Returns the ids now delivered (or read), in the order given, each once, in lower case.
 */
export async function acknowledgeWebChatMessages(
  tx: Queryable,
  receipt: { channel: string; conversationKey: string; messageIds: readonly string[]; at: Date },
): Promise<string[]> {
  const ids = [...new Set(receipt.messageIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return [];
  const owned = await tx.query<{ id: string; vendor_message_id: string }>(
    `UPDATE messages SET vendor_message_id = COALESCE(vendor_message_id, id::text)
     WHERE direction = 'outbound' AND channel = $1 AND conversation_key = $2 AND id = ANY($3::uuid[])
     RETURNING id, vendor_message_id`,
    [receipt.channel, receipt.conversationKey, ids],
  );
  const statuses = new Map<string, OutboundStatus>();
  for (const row of owned.rows) {
    const applied = await applyDeliveryReceipt(tx, { channel: receipt.channel, vendorMessageId: row.vendor_message_id, status: 'delivered', at: receipt.at });
    if (applied) statuses.set(row.id, applied.status);
  }
  return ids.filter((id) => {
    const status = statuses.get(id);
    return status === 'delivered' || status === 'read';
  });
}
