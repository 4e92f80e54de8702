/**
 * The supervision dashboard's figures that the summary report (reports.ts) does not have (issue 8 item 5):
 * - volumes: registered complaints (not merged) received in [from, to), per bucket of the bank's civil calendar
 *   and channel, every bucket of the window included (empty ones too);
 * - satisfaction: the survey answers given in [from, to), per bucket of when they were given;
 * - clocks at risk: open complaints (registered, not closed, not merged) with a mandatory clock breached (marked
 *   by its timer, or open past its due time), and those whose earliest open mandatory clock is past its warning
 *   point (`starts_at + warningFraction × (due_at − starts_at)`) but not yet due — as of `now`, whatever the window;
 * - team load now: per team, open and unassigned complaints, those with a breached clock, and its staff members.
 * Buckets start on the day, the ISO week's Monday or the month's first day, named by that date (`YYYY-MM-DD`).
 */
import type { ConsoleQueueItem } from '../contracts/index.js';
import { CONSOLE_QUEUE_COLUMNS, CONSOLE_QUEUE_JOINS, toConsoleQueueItem, type ConsoleQueueRow } from './console-queue.js';
import type { Database, Queryable } from './database.js';
import { round, share, withoutJit } from './reports.js';

export type DashboardInterval = 'day' | 'week' | 'month';

export interface DashboardWindow {
  from: Date;
  to: Date;
  timeZone: string;
  interval: DashboardInterval;
}

export interface VolumeBucket {
  bucket: string;
  byChannel: { key: string; count: number }[];
  total: number;
}

export interface SatisfactionBucket {
  bucket: string;
  answered: number;
  averageScore: number | null;
  resolvedShare: number | null;
}

export interface TeamLoad {
  team: string;
  open: number;
  unassigned: number;
  breached: number;
  agents: number;
}

/** The civil buckets of the window, as `bucket` rows; $1 from, $2 to, $3 time zone. */
function bucketSeries(interval: DashboardInterval): string {
  return `SELECT DISTINCT to_char(b, 'YYYY-MM-DD') AS bucket
    FROM generate_series(date_trunc('${interval}', $1::timestamptz AT TIME ZONE $3::text),
                         ($2::timestamptz AT TIME ZONE $3::text) - interval '1 microsecond', interval '1 ${interval}') b`;
}

function bucketOf(interval: DashboardInterval, instant: string): string {
  return `to_char(date_trunc('${interval}', ${instant} AT TIME ZONE $3::text), 'YYYY-MM-DD')`;
}

async function volumes(db: Queryable, window: DashboardWindow): Promise<VolumeBucket[]> {
  const result = await db.query<{ bucket: string; channel: string | null; count: number }>(
    `WITH buckets AS (${bucketSeries(window.interval)}),
     counts AS (
       SELECT ${bucketOf(window.interval, 'c.received_at')} AS bucket, c.channel, count(*)::int AS count
       FROM complaints c
       WHERE c.received_at >= $1::timestamptz AND c.received_at < $2::timestamptz AND c.stage <> 'intake' AND c.merged_into IS NULL
       GROUP BY 1, 2
     )
     SELECT b.bucket, counts.channel, coalesce(counts.count, 0) AS count
     FROM buckets b LEFT JOIN counts ON counts.bucket = b.bucket ORDER BY b.bucket`,
    [window.from, window.to, window.timeZone],
  );
  // Every channel of the window in every bucket (zero where none), so a chart's series line up.
  const totals = new Map<string, number>();
  for (const row of result.rows) if (row.channel !== null) totals.set(row.channel, (totals.get(row.channel) ?? 0) + row.count);
  const channels = [...totals.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));
  const buckets = new Map<string, Map<string, number>>();
  for (const row of result.rows) {
    const counts = buckets.get(row.bucket) ?? new Map<string, number>();
    if (row.channel !== null) counts.set(row.channel, row.count);
    buckets.set(row.bucket, counts);
  }
  return [...buckets.entries()].map(([bucket, counts]) => {
    const byChannel = channels.map((key) => ({ key, count: counts.get(key) ?? 0 }));
    return { bucket, byChannel, total: byChannel.reduce((sum, entry) => sum + entry.count, 0) };
  });
}

async function satisfaction(db: Queryable, window: DashboardWindow): Promise<SatisfactionBucket[]> {
  const result = await db.query<{ bucket: string; answered: number; average_score: number | null; resolved_yes: number; resolved_answers: number }>(
    `WITH buckets AS (${bucketSeries(window.interval)}),
     answers AS (
       SELECT ${bucketOf(window.interval, 's.answered_at')} AS bucket, count(*)::int AS answered, avg(s.score)::float8 AS average_score,
         count(*) FILTER (WHERE s.resolved)::int AS resolved_yes, count(s.resolved)::int AS resolved_answers
       FROM surveys s WHERE s.answered_at >= $1::timestamptz AND s.answered_at < $2::timestamptz
       GROUP BY 1
     )
     SELECT b.bucket, coalesce(a.answered, 0) AS answered, a.average_score, coalesce(a.resolved_yes, 0) AS resolved_yes,
       coalesce(a.resolved_answers, 0) AS resolved_answers
     FROM buckets b LEFT JOIN answers a ON a.bucket = b.bucket ORDER BY b.bucket`,
    [window.from, window.to, window.timeZone],
  );
  return result.rows.map((row) => ({
    bucket: row.bucket,
    answered: row.answered,
    averageScore: row.average_score === null ? null : round(row.average_score, 2),
    resolvedShare: share(row.resolved_yes, row.resolved_answers),
  }));
}

/** Open complaints, their earliest open mandatory clock (and its warning point), and whether a clock is breached. $1 now, $2 fraction. */
const OPEN_CLOCKS = `open AS (
    SELECT c.* FROM complaints c WHERE c.stage NOT IN ('intake', 'closed') AND c.merged_into IS NULL
  ),
  mandatory AS (
    SELECT d.* FROM complaint_deadlines d JOIN open ON open.id = d.complaint_id WHERE coalesce(d.rule->>'optional', '') <> 'true'
  ),
  breached AS (
    SELECT DISTINCT complaint_id FROM mandatory WHERE status = 'breached' OR (status = 'open' AND due_at <= $1::timestamptz)
  ),
  earliest AS (
    SELECT DISTINCT ON (complaint_id) complaint_id, due_at,
      starts_at + $2::float8 * (due_at - starts_at) AS warn_at
    FROM mandatory WHERE status = 'open' ORDER BY complaint_id, due_at
  )`;

async function atRisk(db: Queryable, options: { now: Date; warningFraction: number; limit: number }): Promise<{ breached: ConsoleQueueItem[]; warned: ConsoleQueueItem[] }> {
  const result = await db.query<ConsoleQueueRow & { at_risk: 'breached' | 'warned' }>(
    `WITH ${OPEN_CLOCKS},
     risky AS (
       SELECT open.id, 'breached' AS at_risk FROM open JOIN breached ON breached.complaint_id = open.id
       UNION ALL
       SELECT open.id, 'warned' FROM open JOIN earliest e ON e.complaint_id = open.id
       WHERE e.warn_at <= $1::timestamptz AND e.due_at > $1::timestamptz AND NOT EXISTS (SELECT 1 FROM breached WHERE breached.complaint_id = open.id)
     ),
     ranked AS (
       SELECT r.at_risk, c.id, row_number() OVER (PARTITION BY r.at_risk ORDER BY c.urgency_rank DESC, c.due_at ASC NULLS LAST, c.received_at, c.id) AS n
       FROM risky r JOIN open c ON c.id = r.id
     )
     SELECT r.at_risk, ${CONSOLE_QUEUE_COLUMNS}
     FROM ranked r JOIN complaints c ON c.id = r.id ${CONSOLE_QUEUE_JOINS}
     WHERE r.n <= $3
     ORDER BY r.n`,
    [options.now, options.warningFraction, options.limit],
  );
  const items = (risk: 'breached' | 'warned') =>
    result.rows.filter((row) => row.at_risk === risk).map((row) => toConsoleQueueItem(row, options.warningFraction));
  return { breached: items('breached'), warned: items('warned') };
}

async function teamLoad(db: Queryable, now: Date): Promise<TeamLoad[]> {
  const result = await db.query<TeamLoad>(
    `WITH ${OPEN_CLOCKS},
     members AS (
       SELECT t.team, count(*)::int AS agents FROM staff s CROSS JOIN LATERAL unnest(s.teams) AS t(team)
       WHERE s.disabled_at IS NULL GROUP BY t.team
     ),
     work AS (
       SELECT coalesce(open.team, 'unknown') AS team, count(*)::int AS open,
         count(*) FILTER (WHERE open.assignee IS NULL)::int AS unassigned,
         count(breached.complaint_id)::int AS breached
       FROM open LEFT JOIN breached ON breached.complaint_id = open.id GROUP BY 1
     )
     SELECT coalesce(work.team, members.team) AS team, coalesce(work.open, 0) AS open, coalesce(work.unassigned, 0) AS unassigned,
       coalesce(work.breached, 0) AS breached, coalesce(members.agents, 0) AS agents
     FROM work FULL JOIN members ON members.team = work.team
     ORDER BY open DESC, team`,
    [now, 0],
  );
  return result.rows;
}

export interface DashboardFiguresQuery extends DashboardWindow {
  now: Date;
  /** The warning point of a clock as a fraction of its span (the last of TIMER_WARNING_POINTS). */
  warningFraction: number;
  /** Most complaints listed as breached, and as about to breach. */
  atRiskLimit: number;
}

export interface DashboardFigures {
  volumes: VolumeBucket[];
  satisfaction: SatisfactionBucket[];
  openBreaches: ConsoleQueueItem[];
  aboutToBreach: ConsoleQueueItem[];
  teamLoad: TeamLoad[];
}

/** The dashboard's own figures, side by side on PostgreSQL's pool (one after the other on PGlite). */
export async function queryDashboardFigures(db: Database, query: DashboardFiguresQuery): Promise<DashboardFigures> {
  const [volumeBuckets, satisfactionBuckets, risk, load] = await Promise.all([
    withoutJit(db, (tx) => volumes(tx, query)),
    withoutJit(db, (tx) => satisfaction(tx, query)),
    withoutJit(db, (tx) => atRisk(tx, { now: query.now, warningFraction: query.warningFraction, limit: query.atRiskLimit })),
    withoutJit(db, (tx) => teamLoad(tx, query.now)),
  ]);
  return { volumes: volumeBuckets, satisfaction: satisfactionBuckets, openBreaches: risk.breached, aboutToBreach: risk.warned, teamLoad: load };
}
