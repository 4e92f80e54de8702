/**
 * Complaint attachments (migration 0007): files staff attach at assisted intake, stored as bytea with their
 * sha256. Written in the caller's transaction, so a complaint and its files commit together or not at all.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from './database.js';

export interface NewAttachment {
  id: string;
  complaintId: string;
  messageId: string | null;
  name: string;
  contentType: string;
  content: Buffer;
  createdBy: string | null;
  at: Date;
}

/** An attachment without its bytes (lists, views). */
export interface AttachmentSummary {
  id: string;
  complaintId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

export interface StoredAttachment extends AttachmentSummary {
  content: Buffer;
}

interface AttachmentRow {
  id: string;
  complaint_id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: Date;
  content?: Uint8Array;
}

const SUMMARY_COLUMNS = 'id, complaint_id, name, content_type, size, sha256, created_at';

function toSummary(row: AttachmentRow): AttachmentSummary {
  return { id: row.id, complaintId: row.complaint_id, name: row.name, contentType: row.content_type, size: row.size, sha256: row.sha256, createdAt: row.created_at };
}

export async function insertAttachments(tx: Queryable, attachments: readonly NewAttachment[]): Promise<AttachmentSummary[]> {
  const stored: AttachmentSummary[] = [];
  for (const attachment of attachments) {
    const sha256 = createHash('sha256').update(attachment.content).digest('hex');
    await tx.query(
      `INSERT INTO complaint_attachments (id, complaint_id, message_id, name, content_type, size, sha256, content, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [attachment.id, attachment.complaintId, attachment.messageId, attachment.name, attachment.contentType, attachment.content.length, sha256, attachment.content, attachment.createdBy, attachment.at],
    );
    stored.push({ id: attachment.id, complaintId: attachment.complaintId, name: attachment.name, contentType: attachment.contentType, size: attachment.content.length, sha256, createdAt: attachment.at });
  }
  return stored;
}

/** A complaint's attachments, oldest first, without their bytes. */
export async function listAttachments(db: Queryable, complaintId: string): Promise<AttachmentSummary[]> {
  const result = await db.query<AttachmentRow>(`SELECT ${SUMMARY_COLUMNS} FROM complaint_attachments WHERE complaint_id = $1 ORDER BY created_at, id`, [complaintId]);
  return result.rows.map(toSummary);
}

/** One attachment of one complaint, with its bytes; null when there is no such attachment on that complaint. */
export async function findAttachment(db: Queryable, complaintId: string, attachmentId: string): Promise<StoredAttachment | null> {
  const result = await db.query<AttachmentRow>(
    `SELECT ${SUMMARY_COLUMNS}, content FROM complaint_attachments WHERE complaint_id = $1 AND id = $2`,
    [complaintId, attachmentId],
  );
  const row = result.rows[0];
  if (!row?.content) return null;
  return { ...toSummary(row), content: Buffer.from(row.content) };
}
