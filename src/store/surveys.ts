/**
 * Satisfaction surveys: one per complaint (a later response replaces it), found by the customer's conversation when
 * an answer arrives, and closed by the answer or by its expiry.
 */
import type { Queryable } from './database.js';

export async function upsertSurvey(
  tx: Queryable,
  survey: { complaintId: string; conversationId: string | null; outboundMessageId: string; sentAt: Date; expiresAt: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO surveys (complaint_id, conversation_id, outbound_message_id, sent_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (complaint_id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, outbound_message_id = EXCLUDED.outbound_message_id,
       sent_at = EXCLUDED.sent_at, expires_at = EXCLUDED.expires_at, answered_at = NULL, score = NULL, resolved = NULL, comment = NULL, outcome = NULL`,
    [survey.complaintId, survey.conversationId, survey.outboundMessageId, survey.sentAt, survey.expiresAt],
  );
}

export interface OpenSurvey {
  complaintId: string;
  sentAt: Date;
  expiresAt: Date;
}

/** The open survey of a conversation (the most recent), if any. */
export async function findOpenSurvey(tx: Queryable, conversationId: string): Promise<OpenSurvey | null> {
  const result = await tx.query<{ complaint_id: string; sent_at: Date; expires_at: Date }>(
    `SELECT complaint_id, sent_at, expires_at FROM surveys WHERE conversation_id = $1 AND outcome IS NULL ORDER BY sent_at DESC LIMIT 1`,
    [conversationId],
  );
  const row = result.rows[0];
  return row ? { complaintId: row.complaint_id, sentAt: row.sent_at, expiresAt: row.expires_at } : null;
}

export async function lockSurvey(tx: Queryable, complaintId: string): Promise<{ outcome: string | null; expiresAt: Date } | null> {
  const result = await tx.query<{ outcome: string | null; expires_at: Date }>(`SELECT outcome, expires_at FROM surveys WHERE complaint_id = $1 FOR UPDATE`, [complaintId]);
  const row = result.rows[0];
  return row ? { outcome: row.outcome, expiresAt: row.expires_at } : null;
}

export async function recordSurveyOutcome(
  tx: Queryable,
  answer: { complaintId: string; at: Date; score: number | null; resolved: boolean | null; comment: string | null; outcome: 'closed' | 'reopened' | 'callback' | 'expired' },
): Promise<void> {
  await tx.query(
    `UPDATE surveys SET answered_at = CASE WHEN $6 = 'expired' THEN NULL ELSE $2::timestamptz END, score = $3, resolved = $4, comment = $5, outcome = $6
     WHERE complaint_id = $1 AND outcome IS NULL`,
    [answer.complaintId, answer.at, answer.score, answer.resolved, answer.comment, answer.outcome],
  );
}

/**
 * A follow-up message that belongs to another complaint (a survey answer): the message moves to that complaint and
 * the shell complaint opened for it at intake is closed as merged into it.
 */
export async function mergeInboundInto(tx: Queryable, merge: { messageId: string; shellComplaintId: string; intoComplaintId: string; at: Date }): Promise<void> {
  await tx.query(`UPDATE messages SET complaint_id = $2 WHERE id = $1`, [merge.messageId, merge.intoComplaintId]);
  // A message on another channel makes the complaint one of several channels (record.channels, in order of use).
  await tx.query(
    `UPDATE complaints c SET record = jsonb_set(c.record, '{channels}', COALESCE(c.record->'channels', '[]'::jsonb) || to_jsonb(m.channel))
     FROM messages m
     WHERE m.id = $1 AND c.id = $2 AND c.record IS NOT NULL AND NOT (COALESCE(c.record->'channels', '[]'::jsonb) ? m.channel)`,
    [merge.messageId, merge.intoComplaintId],
  );
  await tx.query(
    `UPDATE complaints SET merged_into = $2, stage = 'closed', closed_at = $3, updated_at = $3, queued_at = NULL WHERE id = $1 AND stage = 'intake'`,
    [merge.shellComplaintId, merge.intoComplaintId, merge.at],
  );
}
