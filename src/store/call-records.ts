/**
 * What intake reads to turn a hotline call into a record or attach it to a complaint: the stored (redacted)
 * transcript of the call's message, and the customer's open complaint a new call joins.
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
