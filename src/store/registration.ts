/**
 * Registering a complaint: its clocks (complaint_deadlines) and its place in the human work queue.
 */
import { urgencyRank, type ComplaintRecord } from '../contracts/index.js';
import type { Queryable } from './database.js';

export interface DeadlineInput {
  id: string;
  regime: string;
  clock: string;
  startsAt: Date;
  dueAt: Date;
  /** The rule the clock was computed from (regimes.ts), kept with it. */
  rule: Record<string, unknown>;
  status: 'open' | 'met';
}

/**
 * Saves a registered complaint's record, its clocks and the columns the work queue and reports filter on, and
 * places it in the work queue, due at its earliest open clock — one statement.
 */
export async function saveRegisteredComplaint(
  tx: Queryable,
  record: ComplaintRecord,
  links: { customerId: string; conversationId: string },
  queue: { dueAt: Date | null; stageDueAt: Date | null; at: Date; deadlines: readonly DeadlineInput[] },
): Promise<void> {
  await tx.query(
    `WITH clocks AS (
       INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at, rule, status, met_at)
       SELECT id, $1, regime, clock, starts_at, due_at, rule, status, CASE WHEN status = 'met' THEN $17::timestamptz END
       FROM unnest($23::uuid[], $18::text[], $19::text[], $20::timestamptz[], $21::timestamptz[], $24::jsonb[], $25::text[])
         AS t(id, regime, clock, starts_at, due_at, rule, status)
       ON CONFLICT (complaint_id, regime, clock) DO NOTHING
     )
     UPDATE complaints SET
       customer_id = $2, conversation_id = $3, kind = $4, product = $5, issue = $6, urgency = $7, urgency_rank = $8,
       urgency_score = $9, flags = $10, summary = $11, team = $12, regime = $13, record = $14, stage = $15,
       due_at = $16, queued_at = COALESCE(queued_at, $17), updated_at = $17, identifier_hashes = $22,
       stage_entered_at = $17, stage_due_at = $26
     WHERE id = $1`,
    [
      record.id,
      links.customerId,
      links.conversationId,
      record.kind,
      record.product,
      record.issue,
      record.urgency.level,
      urgencyRank(record.urgency.level),
      record.urgency.score,
      record.flags,
      record.summary,
      record.team,
      record.regime,
      JSON.stringify(record),
      record.stage,
      queue.dueAt,
      queue.at,
      queue.deadlines.map((deadline) => deadline.regime),
      queue.deadlines.map((deadline) => deadline.clock),
      queue.deadlines.map((deadline) => deadline.startsAt.toISOString()),
      queue.deadlines.map((deadline) => deadline.dueAt.toISOString()),
      record.customer.identifierHashes ?? [],
      queue.deadlines.map((deadline) => deadline.id),
      queue.deadlines.map((deadline) => JSON.stringify(deadline.rule)),
      queue.deadlines.map((deadline) => deadline.status),
      queue.stageDueAt,
    ],
  );
}
