/**
 * The rows the staff workflow reads and changes: the complaint locked for an action, its clocks, its resolutions,
 * stage and ownership changes, and staff lookups. Every write here runs inside the action's transaction, after
 * {@link lockComplaintForAction} took the complaint's row lock (the one lock order: complaint, then its clocks).
 */
import type { Issue, Kind, Language, Product, Regime, Stage, UrgencyLevel } from '../contracts/index.js';
import type { Queryable } from './database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LockedComplaint {
  id: string;
  reference: string;
  stage: Stage;
  kind: Kind;
  product: Product;
  issue: Issue;
  urgency: UrgencyLevel;
  urgencyRank: number;
  flags: string[];
  team: string | null;
  assignee: string | null;
  regime: Regime | null;
  conversationId: string | null;
  language: Language;
  stageBeforeEscalation: Stage | null;
  receivedAt: Date;
  dueAt: Date | null;
}

interface LockedRow {
  id: string;
  reference: string;
  stage: Stage;
  kind: Kind | null;
  product: Product | null;
  issue: Issue | null;
  urgency: UrgencyLevel;
  urgency_rank: number;
  flags: string[];
  team: string | null;
  assignee: string | null;
  regime: Regime | null;
  conversation_id: string | null;
  language: Language | null;
  stage_before_escalation: Stage | null;
  received_at: Date;
  due_at: Date | null;
}

/** Locks a complaint (by id or reference) for the rest of the transaction (or only reads it); null when there is none. */
export async function lockComplaintForAction(tx: Queryable, idOrReference: string, options: { lock: boolean } = { lock: true }): Promise<LockedComplaint | null> {
  const byReference = idOrReference.startsWith('CMP-');
  if (!byReference && !UUID.test(idOrReference)) return null;
  const result = await tx.query<LockedRow>(
    `SELECT id, reference, stage, kind, product, issue, urgency, urgency_rank, flags, team, assignee, regime, conversation_id,
            record->'customer'->>'language' AS language, stage_before_escalation, received_at, due_at
     FROM complaints WHERE ${byReference ? 'reference' : 'id'} = $1 AND merged_into IS NULL${options.lock ? ' FOR UPDATE' : ''}`,
    [idOrReference],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    reference: row.reference,
    stage: row.stage,
    kind: row.kind ?? 'other',
    product: row.product ?? 'other',
    issue: row.issue ?? 'other',
    urgency: row.urgency,
    urgencyRank: row.urgency_rank,
    flags: row.flags,
    team: row.team,
    assignee: row.assignee,
    regime: row.regime,
    conversationId: row.conversation_id,
    language: row.language ?? 'und',
    stageBeforeEscalation: row.stage_before_escalation,
    receivedAt: row.received_at,
    dueAt: row.due_at,
  };
}

export interface DeadlineRow {
  id: string;
  regime: string;
  clock: string;
  startsAt: Date;
  dueAt: Date;
  originalDueAt: Date | null;
  status: 'open' | 'met' | 'breached' | 'paused';
  rule: Record<string, unknown>;
  extension: string | null;
  pausedAt: Date | null;
  pauseReason: string | null;
  pausedMs: number;
}

interface DeadlineDbRow {
  id: string;
  regime: string;
  clock: string;
  starts_at: Date;
  due_at: Date;
  original_due_at: Date | null;
  status: DeadlineRow['status'];
  rule: Record<string, unknown>;
  extension: string | null;
  paused_at: Date | null;
  pause_reason: string | null;
  paused_ms: string | number;
}

export async function listComplaintDeadlines(tx: Queryable, complaintId: string): Promise<DeadlineRow[]> {
  const result = await tx.query<DeadlineDbRow>(
    `SELECT id, regime, clock, starts_at, due_at, original_due_at, status, rule, extension, paused_at, pause_reason, paused_ms
     FROM complaint_deadlines WHERE complaint_id = $1 ORDER BY due_at, clock`,
    [complaintId],
  );
  return result.rows.map((row) => ({
    id: row.id,
    regime: row.regime,
    clock: row.clock,
    startsAt: row.starts_at,
    dueAt: row.due_at,
    originalDueAt: row.original_due_at,
    status: row.status,
    rule: row.rule,
    extension: row.extension,
    pausedAt: row.paused_at,
    pauseReason: row.pause_reason,
    pausedMs: Number(row.paused_ms),
  }));
}

/** Marks the open (or paused) clocks among `deadlineIds` met. */
export async function markDeadlinesMet(tx: Queryable, deadlineIds: readonly string[], at: Date): Promise<void> {
  if (deadlineIds.length === 0) return;
  await tx.query(`UPDATE complaint_deadlines SET status = 'met', met_at = $2, paused_at = NULL WHERE id = ANY($1::uuid[]) AND status IN ('open', 'paused')`, [deadlineIds, at]);
}

export async function extendDeadline(tx: Queryable, deadlineId: string, change: { dueAt: Date; extension: string }): Promise<void> {
  await tx.query(
    `UPDATE complaint_deadlines SET original_due_at = COALESCE(original_due_at, due_at), due_at = $2, extension = $3 WHERE id = $1`,
    [deadlineId, change.dueAt, change.extension],
  );
}

export async function pauseDeadlines(tx: Queryable, deadlineIds: readonly string[], pause: { at: Date; reason: string }): Promise<void> {
  if (deadlineIds.length === 0) return;
  await tx.query(
    `UPDATE complaint_deadlines SET status = 'paused', paused_at = $2, pause_reason = $3 WHERE id = ANY($1::uuid[]) AND status = 'open'`,
    [deadlineIds, pause.at, pause.reason],
  );
}

/**
 * Resumes paused clocks (only those paused for `reason`, when given): each due time moves on by the time it was
 * paused (calendar time).
 */
export async function resumeDeadlines(tx: Queryable, complaintId: string, at: Date, options: { reason?: string } = {}): Promise<string[]> {
  const result = await tx.query<{ id: string }>(
    `UPDATE complaint_deadlines
     SET status = 'open',
         original_due_at = COALESCE(original_due_at, due_at),
         due_at = due_at + ($2::timestamptz - paused_at),
         paused_ms = paused_ms + (EXTRACT(EPOCH FROM ($2::timestamptz - paused_at)) * 1000)::bigint,
         paused_at = NULL, pause_reason = NULL
     WHERE complaint_id = $1 AND status = 'paused' AND ($3::text IS NULL OR pause_reason = $3::text)
     RETURNING id`,
    [complaintId, at, options.reason ?? null],
  );
  return result.rows.map((row) => row.id);
}

export interface ComplaintChange {
  stage?: Stage;
  stageEnteredAt?: Date;
  stageDueAt?: Date | null;
  assignee?: string | null;
  team?: string;
  product?: Product;
  issue?: Issue;
  urgency?: UrgencyLevel;
  urgencyRank?: number;
  dueAt?: Date | null;
  stageBeforeEscalation?: Stage | null;
  escalatedAt?: Date;
  respondedAt?: Date;
  closedAt?: Date | null;
  /** Back into the unassigned work queue (reopened, reassigned to a team); null takes it out (closed). */
  queuedAt?: Date | null;
  awaitingInformationSince?: Date | null;
}

const CHANGE_COLUMNS: Record<keyof ComplaintChange, string> = {
  stage: 'stage',
  stageEnteredAt: 'stage_entered_at',
  stageDueAt: 'stage_due_at',
  assignee: 'assignee',
  team: 'team',
  product: 'product',
  issue: 'issue',
  urgency: 'urgency',
  urgencyRank: 'urgency_rank',
  dueAt: 'due_at',
  stageBeforeEscalation: 'stage_before_escalation',
  escalatedAt: 'escalated_at',
  respondedAt: 'responded_at',
  closedAt: 'closed_at',
  queuedAt: 'queued_at',
  awaitingInformationSince: 'awaiting_information_since',
};

/** Applies the given column changes (and updated_at) to a complaint the transaction has locked. */
export async function updateComplaint(tx: Queryable, complaintId: string, change: ComplaintChange, at: Date): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [complaintId, at];
  for (const [key, column] of Object.entries(CHANGE_COLUMNS) as [keyof ComplaintChange, string][]) {
    if (!(key in change)) continue;
    params.push(change[key] ?? null);
    sets.push(`${column} = $${params.length}`);
  }
  await tx.query(`UPDATE complaints SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1`, params);
}

/** The earliest open clock of a complaint that is not optional (a path such as the UK 3-day summary resolution). */
export async function earliestOpenDue(tx: Queryable, complaintId: string): Promise<Date | null> {
  const result = await tx.query<{ due: Date | null }>(
    `SELECT min(due_at) AS due FROM complaint_deadlines
     WHERE complaint_id = $1 AND status = 'open' AND COALESCE(rule->>'optional', 'false') <> 'true'`,
    [complaintId],
  );
  return result.rows[0]?.due ?? null;
}

export interface ResolutionRow {
  id: string;
  summary: string;
  upheld: boolean;
  redress: { value: number; currency: string } | null;
  status: 'proposed' | 'approved' | 'rejected' | 'superseded';
  requiresApproval: boolean;
  proposedBy: string;
  decidedBy: string | null;
}

interface ResolutionDbRow {
  id: string;
  summary: string;
  upheld: boolean;
  redress_value: string | number | null;
  redress_currency: string | null;
  status: ResolutionRow['status'];
  requires_approval: boolean;
  proposed_by: string;
  decided_by: string | null;
}

export async function latestResolution(tx: Queryable, complaintId: string): Promise<ResolutionRow | null> {
  const result = await tx.query<ResolutionDbRow>(
    `SELECT id, summary, upheld, redress_value, redress_currency, status, requires_approval, proposed_by, decided_by
     FROM resolutions WHERE complaint_id = $1 ORDER BY proposed_at DESC, id DESC LIMIT 1`,
    [complaintId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    summary: row.summary,
    upheld: row.upheld,
    redress: row.redress_value === null || row.redress_currency === null ? null : { value: Number(row.redress_value), currency: row.redress_currency },
    status: row.status,
    requiresApproval: row.requires_approval,
    proposedBy: row.proposed_by,
    decidedBy: row.decided_by,
  };
}

/** Records a proposal; any earlier one still proposed is superseded. */
export async function insertResolution(
  tx: Queryable,
  resolution: { id: string; complaintId: string; summary: string; upheld: boolean; redress: { value: number; currency: string } | null; proposedBy: string; requiresApproval: boolean; at: Date },
): Promise<void> {
  await tx.query(`UPDATE resolutions SET status = 'superseded' WHERE complaint_id = $1 AND status = 'proposed'`, [resolution.complaintId]);
  await tx.query(
    `INSERT INTO resolutions (id, complaint_id, summary, upheld, redress_value, redress_currency, proposed_by, proposed_at, requires_approval, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'proposed')`,
    [
      resolution.id,
      resolution.complaintId,
      resolution.summary,
      resolution.upheld,
      resolution.redress?.value ?? null,
      resolution.redress?.currency ?? null,
      resolution.proposedBy,
      resolution.at,
      resolution.requiresApproval,
    ],
  );
}

export async function decideResolution(
  tx: Queryable,
  decision: { id: string; status: 'approved' | 'rejected'; decidedBy: string; reason: string | null; at: Date },
): Promise<void> {
  await tx.query(
    `UPDATE resolutions SET status = $2, decided_by = $3, decision_reason = $4, decided_at = $5 WHERE id = $1 AND status = 'proposed'`,
    [decision.id, decision.status, decision.decidedBy, decision.reason, decision.at],
  );
}

export interface StaffSummary {
  id: string;
  role: 'agent' | 'supervisor' | 'admin';
  teams: string[];
  disabled: boolean;
}

export async function findStaffSummary(tx: Queryable, staffId: string): Promise<StaffSummary | null> {
  if (!UUID.test(staffId)) return null;
  const result = await tx.query<{ id: string; role: StaffSummary['role']; teams: string[]; disabled_at: Date | null }>(
    `SELECT id, role, teams, disabled_at FROM staff WHERE id = $1`,
    [staffId],
  );
  const row = result.rows[0];
  return row ? { id: row.id, role: row.role, teams: row.teams, disabled: row.disabled_at !== null } : null;
}

/** The open complaint of a conversation that is waiting for the customer's answer to a request for information. */
export async function findComplaintAwaitingInformation(tx: Queryable, conversationId: string): Promise<string | null> {
  const result = await tx.query<{ id: string }>(
    `SELECT id FROM complaints WHERE conversation_id = $1 AND awaiting_information_since IS NOT NULL AND stage <> 'closed'
     ORDER BY awaiting_information_since DESC LIMIT 1`,
    [conversationId],
  );
  return result.rows[0]?.id ?? null;
}
