/**
 * The human work queue: a table query over complaints (DESIGN.md §4). Queued, unassigned tickets ordered by
 * urgency, then earliest deadline, then age. Claiming uses FOR UPDATE SKIP LOCKED, so two agents claiming at the
 * same instant never get the same ticket and never wait on each other.
 */
import type { Flag, Issue, Product, Stage, UrgencyLevel } from '../contracts/index.js';
import type { Queryable } from './database.js';

export interface WorkItem {
  id: string;
  reference: string;
  stage: Stage;
  urgency: UrgencyLevel;
  urgencyScore: number;
  flags: Flag[];
  product: Product;
  issue: Issue;
  team: string;
  assignee: string | null;
  channel: string;
  summary: string;
  dueAt: Date | null;
  receivedAt: Date;
}

/** A queue row as PostgreSQL returns it (the console's rows extend it). */
export interface WorkRow {
  id: string;
  reference: string;
  stage: Stage;
  urgency: UrgencyLevel;
  urgency_score: number;
  flags: Flag[];
  product: Product;
  issue: Issue;
  team: string;
  assignee: string | null;
  channel: string;
  summary: string;
  due_at: Date | null;
  received_at: Date;
}

const COLUMNS = `c.id, c.reference, c.stage, c.urgency, c.urgency_score, c.flags, c.product, c.issue, c.team, c.assignee,
  c.channel, c.summary, c.due_at, c.received_at`;
const QUEUED = `c.queued_at IS NOT NULL AND c.assignee IS NULL`;
const ORDER = `c.urgency_rank DESC, c.due_at ASC NULLS LAST, c.received_at ASC, c.id ASC`;

function toItem(row: WorkRow): WorkItem {
  return {
    id: row.id,
    reference: row.reference,
    stage: row.stage,
    urgency: row.urgency,
    urgencyScore: row.urgency_score,
    flags: row.flags,
    product: row.product,
    issue: row.issue,
    team: row.team,
    assignee: row.assignee,
    channel: row.channel,
    summary: row.summary,
    dueAt: row.due_at,
    receivedAt: row.received_at,
  };
}

/**
 * `teams` null = every team. The query is shaped so that PostgreSQL reads an index in queue order: no team filter
 * (complaints_work_queue), one team (complaints_team_queue), or several teams each read in order through that
 * index and merged (`c.team = ANY(...)` would make it sort every queued row of those teams).
 */
export async function listWorkQueue(db: Queryable, options: { teams: string[] | null; limit: number }): Promise<WorkItem[]> {
  if (options.teams === null) {
    const result = await db.query<WorkRow>(`SELECT ${COLUMNS} FROM complaints c WHERE ${QUEUED} ORDER BY ${ORDER} LIMIT $1`, [options.limit]);
    return result.rows.map(toItem);
  }
  if (options.teams.length === 1) {
    const result = await db.query<WorkRow>(`SELECT ${COLUMNS} FROM complaints c WHERE ${QUEUED} AND c.team = $1 ORDER BY ${ORDER} LIMIT $2`, [
      options.teams[0],
      options.limit,
    ]);
    return result.rows.map(toItem);
  }
  const result = await db.query<WorkRow>(
    `SELECT c.* FROM unnest($1::text[]) AS t(team)
     CROSS JOIN LATERAL (
       SELECT ${COLUMNS}, c.urgency_rank FROM complaints c WHERE ${QUEUED} AND c.team = t.team ORDER BY ${ORDER} LIMIT $2
     ) AS c
     ORDER BY ${ORDER} LIMIT $2`,
    [options.teams, options.limit],
  );
  return result.rows.map(toItem);
}

/** Assigns the next ticket to `staffId`; null when the queue (for those teams) is empty. */
export async function claimNextWorkItem(
  tx: Queryable,
  options: { staffId: string; teams: string[] | null; at: Date },
): Promise<WorkItem | null> {
  const result = await tx.query<WorkRow>(
    `WITH next AS (
       SELECT c.id FROM complaints c
       WHERE ${QUEUED} AND ($2::text[] IS NULL OR c.team = ANY($2::text[]))
       ORDER BY ${ORDER} LIMIT 1 FOR UPDATE SKIP LOCKED
     )
     UPDATE complaints c SET assignee = $1::uuid, claimed_at = $3, updated_at = $3,
       record = CASE WHEN c.record IS NULL THEN NULL ELSE jsonb_set(c.record, '{assignee}', to_jsonb($1::uuid::text)) END
     FROM next WHERE c.id = next.id
     RETURNING ${COLUMNS}`,
    [options.staffId, options.teams, options.at],
  );
  const row = result.rows[0];
  return row ? toItem(row) : null;
}
