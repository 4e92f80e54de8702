/**
 * What the staff console's live queue needs to know after an intake job: the registered complaint an inbound
 * message now belongs to (registered by it, or joined by it: a dialog turn after registration, an attached call, a
 * survey answer), with its owner, so the hint reaches the streams of those who see it.
 */
import type { Queryable } from './database.js';

export interface QueuedComplaintOfMessage {
  complaintId: string;
  reference: string;
  team: string | null;
  assignee: string | null;
  queuedAt: Date;
}

/** The registered (queued) complaint the message belongs to now; null while it is still in intake, or unknown. */
export async function findQueuedComplaintOfMessage(db: Queryable, messageId: string): Promise<QueuedComplaintOfMessage | null> {
  const result = await db.query<{ id: string; reference: string; team: string | null; assignee: string | null; queued_at: Date }>(
    `SELECT c.id, c.reference, c.team, c.assignee, c.queued_at FROM messages m JOIN complaints c ON c.id = m.complaint_id
     WHERE m.id = $1 AND c.queued_at IS NOT NULL`,
    [messageId],
  );
  const row = result.rows[0];
  return row ? { complaintId: row.id, reference: row.reference, team: row.team, assignee: row.assignee, queuedAt: row.queued_at } : null;
}
