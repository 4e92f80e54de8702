/**
 * Registering a complaint: its clocks (complaint_deadlines) and its place in the human work queue.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';

export interface DeadlineInput {
  regime: string;
  clock: string;
  startsAt: Date;
  dueAt: Date;
}

/** Inserts clocks (idempotent per complaint, regime and clock) and returns their ids in input order. */
export async function insertDeadlines(tx: Queryable, complaintId: string, deadlines: readonly DeadlineInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const deadline of deadlines) {
    const result = await tx.query<{ id: string }>(
      `INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (complaint_id, regime, clock) DO UPDATE SET due_at = EXCLUDED.due_at
       RETURNING id`,
      [randomUUID(), complaintId, deadline.regime, deadline.clock, deadline.startsAt, deadline.dueAt],
    );
    const row = result.rows[0];
    if (row) ids.push(row.id);
  }
  return ids;
}

/** Moves the complaint to `stage` and into the work queue, due at its earliest open clock. */
export async function enqueueForStaff(tx: Queryable, complaintId: string, options: { stage: string; dueAt: Date | null; at: Date }): Promise<void> {
  await tx.query(
    `UPDATE complaints SET stage = $2, due_at = $3, queued_at = COALESCE(queued_at, $4), updated_at = $4 WHERE id = $1`,
    [complaintId, options.stage, options.dueAt, options.at],
  );
}
