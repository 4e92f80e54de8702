/**
 * The clocks' rows (`complaint_deadlines`) as the SLA timers see them: the open clocks, page by page (the timer
 * reconciler), one clock locked with its complaint (a firing timer), marking a warning point or a breach, and the
 * escalation a breach brings (stage `escalated`, urgency one level up).
 * Lock order: the complaint row first, then the clock, as the staff workflow does, so the two never deadlock.
 */
import { UrgencyLevel, type Stage } from '../contracts/index.js';
import type { Queryable } from './database.js';

export type DeadlineStatus = 'open' | 'met' | 'breached' | 'paused';

export interface OpenDeadline {
  id: string;
  complaintId: string;
  regime: string;
  clock: string;
  startsAt: Date;
  dueAt: Date;
  /** The rule the clock was computed from (`optional: true` marks a path, not a limit). */
  rule: Record<string, unknown>;
  warnedPoints: string[];
}

export interface LockedDeadline extends OpenDeadline {
  status: DeadlineStatus;
  breachedAt: Date | null;
  complaint: {
    id: string;
    reference: string;
    stage: Stage;
    team: string | null;
    assignee: string | null;
    urgency: UrgencyLevel;
    urgencyRank: number;
  };
}

/** What a breach changed on the complaint (null: that part did not change). */
export interface BreachEscalation {
  stage: { from: Stage; to: 'escalated' } | null;
  urgency: { from: UrgencyLevel; to: UrgencyLevel } | null;
}

interface DeadlineRow {
  id: string;
  complaint_id: string;
  regime: string;
  clock: string;
  starts_at: Date;
  due_at: Date;
  rule: Record<string, unknown> | null;
  warned_points: string[] | null;
}

function toOpenDeadline(row: DeadlineRow): OpenDeadline {
  return {
    id: row.id,
    complaintId: row.complaint_id,
    regime: row.regime,
    clock: row.clock,
    startsAt: row.starts_at,
    dueAt: row.due_at,
    rule: row.rule ?? {},
    warnedPoints: row.warned_points ?? [],
  };
}

const DEADLINE_COLUMNS = 'id, complaint_id, regime, clock, starts_at, due_at, rule, warned_points';

/** Open clocks in id order, `limit` at a time after `afterId` (keyset pagination: stable over any number of rows). */
export async function listOpenDeadlines(db: Queryable, options: { afterId?: string; limit: number }): Promise<OpenDeadline[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`limit must be a positive integer (got ${options.limit})`);
  const result = await db.query<DeadlineRow>(
    `SELECT ${DEADLINE_COLUMNS} FROM complaint_deadlines
     WHERE status = 'open' AND ($1::uuid IS NULL OR id > $1::uuid)
     ORDER BY id LIMIT $2`,
    [options.afterId ?? null, options.limit],
  );
  return result.rows.map(toOpenDeadline);
}

interface ComplaintLockRow {
  id: string;
  reference: string;
  stage: Stage;
  team: string | null;
  assignee: string | null;
  urgency: UrgencyLevel;
  urgency_rank: number;
}

/**
 * Locks a clock and its complaint (`FOR UPDATE`, complaint first) for the rest of the transaction; null when the
 * clock does not exist.
 */
export async function lockDeadline(tx: Queryable, id: string): Promise<LockedDeadline | null> {
  const complaint = await tx.query<ComplaintLockRow>(
    `SELECT c.id, c.reference, c.stage, c.team, c.assignee, c.urgency, c.urgency_rank FROM complaints c
     WHERE c.id = (SELECT d.complaint_id FROM complaint_deadlines d WHERE d.id = $1::uuid)
     FOR UPDATE`,
    [id],
  );
  const owner = complaint.rows[0];
  if (!owner) return null;
  const deadline = await tx.query<DeadlineRow & { status: DeadlineStatus; breached_at: Date | null }>(
    `SELECT ${DEADLINE_COLUMNS}, status, breached_at FROM complaint_deadlines WHERE id = $1::uuid FOR UPDATE`,
    [id],
  );
  const row = deadline.rows[0];
  if (!row) return null;
  return {
    ...toOpenDeadline(row),
    status: row.status,
    breachedAt: row.breached_at,
    complaint: {
      id: owner.id,
      reference: owner.reference,
      stage: owner.stage,
      team: owner.team,
      assignee: owner.assignee,
      urgency: owner.urgency,
      urgencyRank: owner.urgency_rank,
    },
  };
}

/** Records that the timer of `point` fired; false when it was already recorded. */
export async function markDeadlineWarned(tx: Queryable, id: string, point: string): Promise<boolean> {
  const result = await tx.query(
    `UPDATE complaint_deadlines SET warned_points = array_append(warned_points, $2::text)
     WHERE id = $1::uuid AND NOT ($2::text = ANY (warned_points)) RETURNING id`,
    [id, point],
  );
  return result.rows.length === 1;
}

/** Marks an open clock breached at `at`; false when it was not open (met, paused or breached already). */
export async function markDeadlineBreached(tx: Queryable, id: string, at: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE complaint_deadlines SET status = 'breached', breached_at = $2 WHERE id = $1::uuid AND status = 'open' RETURNING id`,
    [id, at],
  );
  return result.rows.length === 1;
}

/** Stages a breach does not escalate from: the complaint is answered, closed, or escalated already. */
const NOT_ESCALATED_FROM: readonly Stage[] = ['closed', 'responded', 'escalated'];
/** Stages whose complaint a breach leaves alone altogether. */
const UNTOUCHED: readonly Stage[] = ['closed', 'responded'];
const TOP_RANK = UrgencyLevel.options.length - 1;

/**
 * A breach on a complaint the caller has locked: an open complaint moves to `escalated` (its stage kept in
 * `stage_before_escalation`, `escalated_at` set), and its urgency goes up one level (at most critical) — also
 * when it is escalated already. A closed or responded complaint is left as it is.
 */
export async function escalateForBreach(tx: Queryable, complaintId: string, at: Date): Promise<BreachEscalation> {
  const current = await tx.query<{ stage: Stage; urgency: UrgencyLevel; urgency_rank: number }>(
    'SELECT stage, urgency, urgency_rank FROM complaints WHERE id = $1::uuid FOR UPDATE',
    [complaintId],
  );
  const row = current.rows[0];
  if (!row || UNTOUCHED.includes(row.stage)) return { stage: null, urgency: null };
  const escalate = !NOT_ESCALATED_FROM.includes(row.stage);
  const fromRank = Math.min(TOP_RANK, Math.max(0, row.urgency_rank));
  const toRank = Math.min(TOP_RANK, fromRank + 1);
  const raise = toRank > row.urgency_rank;
  if (!escalate && !raise) return { stage: null, urgency: null };
  const toUrgency = UrgencyLevel.options[toRank] ?? row.urgency;
  await tx.query(
    `UPDATE complaints SET
       stage_before_escalation = CASE WHEN $2 THEN stage ELSE stage_before_escalation END,
       stage = CASE WHEN $2 THEN 'escalated' ELSE stage END,
       escalated_at = CASE WHEN $2 THEN $4::timestamptz ELSE escalated_at END,
       stage_entered_at = CASE WHEN $2 THEN $4::timestamptz ELSE stage_entered_at END,
       urgency = CASE WHEN $3 THEN $5 ELSE urgency END,
       urgency_rank = CASE WHEN $3 THEN $6::smallint ELSE urgency_rank END,
       updated_at = $4::timestamptz,
       record = CASE WHEN record IS NULL THEN NULL ELSE
         jsonb_set(
           CASE WHEN $2 THEN jsonb_set(record, '{stage}', '"escalated"'::jsonb) ELSE record END,
           '{urgency,level}', to_jsonb(CASE WHEN $3 THEN $5 ELSE urgency END), false)
       END
     WHERE id = $1::uuid`,
    [complaintId, escalate, raise, at, toUrgency, toRank],
  );
  return {
    stage: escalate ? { from: row.stage, to: 'escalated' } : null,
    urgency: raise ? { from: row.urgency, to: toUrgency } : null,
  };
}
