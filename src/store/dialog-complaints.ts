/**
 * What the intake dialog reads about complaints: the stage of the complaint a conversation is attached to, and a
 * customer's own complaint by reference for a status question (never another customer's: the reference alone is
 * not proof of who is asking).
 */
import type { Queryable } from './database.js';

export interface ComplaintStatusRow {
  id: string;
  reference: string;
  stage: string;
  /** The earliest open clock's due time (null once every clock is met or for a complaint not yet registered). */
  dueAt: Date | null;
}

/** The complaint (by reference) if it belongs to `customerId` and was not merged into another; null otherwise. */
export async function findCustomerComplaintStatus(db: Queryable, reference: string, customerId: string): Promise<ComplaintStatusRow | null> {
  const result = await db.query<{ id: string; reference: string; stage: string; due_at: Date | null }>(
    `SELECT id, reference, stage, due_at FROM complaints WHERE reference = $1 AND customer_id = $2 AND merged_into IS NULL`,
    [reference, customerId],
  );
  const row = result.rows[0];
  return row ? { id: row.id, reference: row.reference, stage: row.stage, dueAt: row.due_at } : null;
}

/** The complaint's stage (null when it does not exist or was merged away). */
export async function findComplaintStage(db: Queryable, complaintId: string): Promise<string | null> {
  const result = await db.query<{ stage: string }>(`SELECT stage FROM complaints WHERE id = $1 AND merged_into IS NULL`, [complaintId]);
  return result.rows[0]?.stage ?? null;
}
