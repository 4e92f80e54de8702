/**
 * What intake reads to turn a hotline call into a record or attach it to a complaint: the stored (redacted)
 * transcript of the call's message, and the customer's open complaint a new call joins; and the transcript bytes
 * an import already stored (by SHA-256), so a re-run skips them before parsing (migration 0009).
 */
import type { Queryable } from './database.js';

/** The stored raw payload of an inbound message (a call's transcript, redacted), or null. */
export async function findInboundRaw(db: Queryable, messageId: string): Promise<unknown> {
  const result = await db.query<{ raw: unknown }>(`SELECT raw FROM messages WHERE id = $1 AND direction = 'inbound'`, [messageId]);
  return result.rows[0]?.raw ?? null;
}

/**
 * The customer's open complaint (registered, not closed, not merged away) a new contact joins: the most recently
 * received one; null when there is none.
 */
export async function findOpenComplaintOfCustomer(db: Queryable, customerId: string, exceptComplaintId: string): Promise<{ id: string; reference: string } | null> {
  const result = await db.query<{ id: string; reference: string }>(
    `SELECT id, reference FROM complaints
     WHERE customer_id = $1 AND id <> $2 AND merged_into IS NULL AND stage NOT IN ('intake', 'closed')
     ORDER BY received_at DESC, id LIMIT 1`,
    [customerId, exceptComplaintId],
  );
  return result.rows[0] ?? null;
}

/** A transcript an earlier import stored: its call message, where that message is now, and whether it is processed. */
export interface StoredTranscriptContent {
  contentHash: string;
  messageId: string;
  complaintId: string | null;
  reference: string | null;
  pending: boolean;
}

/** The stored transcripts among these content hashes (one query for a batch; absent hashes are new). */
export async function findTranscriptContents(db: Queryable, contentHashes: readonly string[]): Promise<StoredTranscriptContent[]> {
  if (contentHashes.length === 0) return [];
  const result = await db.query<{ content_hash: string; message_id: string; complaint_id: string | null; reference: string | null; status: string }>(
    `SELECT t.content_hash, m.id::text AS message_id, m.complaint_id::text AS complaint_id, c.reference, m.status
       FROM transcript_contents t
       JOIN messages m ON m.id = t.message_id
       LEFT JOIN complaints c ON c.id = m.complaint_id
      WHERE t.content_hash = ANY($1::text[])`,
    [contentHashes],
  );
  return result.rows.map((row) => ({
    contentHash: row.content_hash,
    messageId: row.message_id,
    complaintId: row.complaint_id,
    reference: row.reference,
    pending: row.status === 'pending',
  }));
}

/** Remembers which call message these transcript bytes became (a hash seen before keeps its first message). */
export async function insertTranscriptContents(db: Queryable, contents: readonly { contentHash: string; messageId: string }[]): Promise<void> {
  if (contents.length === 0) return;
  await db.query(
    `INSERT INTO transcript_contents (content_hash, message_id)
     SELECT content_hash, message_id FROM unnest($1::text[], $2::uuid[]) AS given (content_hash, message_id)
     ON CONFLICT (content_hash) DO NOTHING`,
    [contents.map((content) => content.contentHash), contents.map((content) => content.messageId)],
  );
}
