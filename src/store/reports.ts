/**
 * The supervisors' summary figures (DESIGN.md §9 "figures are reported"): a handful of SQL statements over the
 * complaints received in a window, on PostgreSQL and PGlite alike.
 *
 * The cohort is every registered complaint (stage other than `intake`, not merged into another) whose `received_at`
 * lies in [from, to). Every figure is about that cohort, whatever happened to it since:
 * - open / closed: its stage now (`closed` or not);
 * - breached: at least one mandatory clock (not `rule.optional`) breached, or met after its due time;
 * - withinDeadlineShare: of the complaints whose mandatory clocks are decided (one breached, or all met), the share
 *   with every mandatory clock met in time; null when none is decided yet;
 * - upheldRate: of the complaints responded to, the share whose resolution sent (the latest approved one, or the
 *   latest proposed one that needed no approval) upheld the complaint;
 * - satisfaction: the surveys of the cohort's complaints;
 * - timePerStage: every completed stay in a stage (entered by the `registered` event or a `stage.changed` event,
 *   left by the next one), median and 90th percentile in hours; stays still running are not counted;
 * - groups: the same counts per value of one dimension, or per day / ISO week / month of `received_at` in the bank's
 *   time zone (every bucket of the window, empty ones included).
 */
import { Stage, type ReportGroupBy } from '../contracts/index.js';
import type { Database, Queryable } from './database.js';

export interface CountByKey {
  key: string;
  count: number;
}

export interface StageTime {
  stage: Stage;
  /** Completed stays in the stage. */
  count: number;
  medianHours: number;
  p90Hours: number;
}

export interface SatisfactionFigures {
  sent: number;
  answered: number;
  /** answered / sent; null when none was sent. */
  responseRate: number | null;
  /** Mean score (1–5) of the answers with a score; null when none. */
  averageScore: number | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  /** Share of "resolved: yes" among the answers that said yes or no; null when none did. */
  resolvedShare: number | null;
}

export interface ReportTotals {
  received: number;
  open: number;
  closed: number;
  breached: number;
  withinDeadlineShare: number | null;
  upheldRate: number | null;
  satisfaction: SatisfactionFigures;
}

export interface ReportGroup {
  key: string;
  received: number;
  closed: number;
  breached: number;
  withinDeadlineShare: number | null;
}

export interface ReportFigures {
  totals: ReportTotals;
  byChannel: CountByKey[];
  byProduct: CountByKey[];
  byIssue: CountByKey[];
  byUrgency: CountByKey[];
  timePerStage: StageTime[];
  groups?: ReportGroup[];
}

export interface ReportFiguresQuery {
  from: Date;
  to: Date;
  /** IANA zone of the bank: day / week / month buckets are its civil ones. */
  timeZone: string;
  groupBy?: ReportGroupBy;
}

/** Lifecycle order of DESIGN.md §9 (the Stage enum lists them in that order), for listing stages. */
const STAGE_ORDER: readonly Stage[] = Stage.options;

/** $1 = from, $2 = to. `w`: the cohort; `k`: its complaints' mandatory clocks, decided or not. */
function cohort(extraColumns = ''): string {
  return `w AS (
    SELECT c.id, c.stage, c.responded_at${extraColumns} FROM complaints c
    WHERE c.received_at >= $1::timestamptz AND c.received_at < $2::timestamptz AND c.stage <> 'intake' AND c.merged_into IS NULL
  ),
  k AS (
    SELECT d.complaint_id,
      bool_or(d.status = 'breached' OR d.breached_at IS NOT NULL OR coalesce(d.met_at > d.due_at, false)) AS breached,
      bool_and(d.status = 'met') AS all_met
    FROM complaint_deadlines d JOIN w ON w.id = d.complaint_id
    WHERE coalesce(d.rule->>'optional', '') <> 'true'
    GROUP BY d.complaint_id
  )`;
}

const CLOCK_COUNTS = `count(*) FILTER (WHERE w.stage = 'closed')::int AS closed,
  count(*) FILTER (WHERE k.breached)::int AS breached,
  count(*) FILTER (WHERE k.all_met AND NOT k.breached)::int AS within,
  count(*) FILTER (WHERE k.breached OR k.all_met)::int AS decided`;

const DIMENSIONS: Record<'channel' | 'product' | 'issue' | 'urgency' | 'team', string> = {
  channel: 'c.channel',
  product: `coalesce(c.product, 'unknown')`,
  issue: `coalesce(c.issue, 'unknown')`,
  urgency: 'c.urgency',
  team: `coalesce(c.team, 'unknown')`,
};

/** date_trunc unit and to_char format of each time bucket (ISO weeks start on Monday). */
const BUCKETS: Record<'day' | 'week' | 'month', { unit: string; format: string }> = {
  day: { unit: 'day', format: 'YYYY-MM-DD' },
  week: { unit: 'week', format: 'IYYY-"W"IW' },
  month: { unit: 'month', format: 'YYYY-MM' },
};

interface TotalsRow {
  received: number;
  open: number;
  closed: number;
  breached: number;
  within: number;
  decided: number;
  responded: number;
  upheld: number;
  sent: number;
  answered: number;
  average_score: number | null;
  score_1: number;
  score_2: number;
  score_3: number;
  score_4: number;
  score_5: number;
  resolved_yes: number;
  resolved_answers: number;
}

interface GroupRow {
  key: string;
  received: number;
  closed: number;
  breached: number;
  within: number;
  decided: number;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** part / whole to 4 decimals; null when the whole is 0. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4);
}

async function totals(db: Queryable, window: readonly [Date, Date]): Promise<ReportTotals> {
  const result = await db.query<TotalsRow>(
    `WITH ${cohort()},
     r AS (
       SELECT DISTINCT ON (r.complaint_id) r.complaint_id, r.upheld
       FROM resolutions r JOIN w ON w.id = r.complaint_id AND w.responded_at IS NOT NULL
       WHERE r.status = 'approved' OR (r.status = 'proposed' AND NOT r.requires_approval)
       ORDER BY r.complaint_id, r.proposed_at DESC
     )
     SELECT t.*, u.*, s.* FROM
       (SELECT count(*)::int AS received, count(*) FILTER (WHERE w.stage <> 'closed')::int AS open, ${CLOCK_COUNTS}
        FROM w LEFT JOIN k ON k.complaint_id = w.id) t
     CROSS JOIN
       (SELECT count(*)::int AS responded, count(*) FILTER (WHERE r.upheld)::int AS upheld FROM r) u
     CROSS JOIN
       (SELECT count(*)::int AS sent, count(s.answered_at)::int AS answered, avg(s.score)::float8 AS average_score,
          count(*) FILTER (WHERE s.score = 1)::int AS score_1, count(*) FILTER (WHERE s.score = 2)::int AS score_2,
          count(*) FILTER (WHERE s.score = 3)::int AS score_3, count(*) FILTER (WHERE s.score = 4)::int AS score_4,
          count(*) FILTER (WHERE s.score = 5)::int AS score_5,
          count(*) FILTER (WHERE s.resolved)::int AS resolved_yes, count(s.resolved)::int AS resolved_answers
        FROM surveys s JOIN w ON w.id = s.complaint_id) s`,
    window,
  );
  const row = result.rows[0];
  if (!row) throw new Error('The totals query returned no row.');
  return {
    received: row.received,
    open: row.open,
    closed: row.closed,
    breached: row.breached,
    withinDeadlineShare: share(row.within, row.decided),
    upheldRate: share(row.upheld, row.responded),
    satisfaction: {
      sent: row.sent,
      answered: row.answered,
      responseRate: share(row.answered, row.sent),
      averageScore: row.average_score === null ? null : round(row.average_score, 2),
      distribution: { '1': row.score_1, '2': row.score_2, '3': row.score_3, '4': row.score_4, '5': row.score_5 },
      resolvedShare: share(row.resolved_yes, row.resolved_answers),
    },
  };
}

async function volumes(db: Queryable, window: readonly [Date, Date]): Promise<Pick<ReportFigures, 'byChannel' | 'byProduct' | 'byIssue' | 'byUrgency'>> {
  const result = await db.query<{ dimension: string; key: string; count: number }>(
    `WITH ${cohort(`, c.channel, ${DIMENSIONS.product} AS product, ${DIMENSIONS.issue} AS issue, c.urgency`)}
     SELECT 'channel' AS dimension, channel AS key, count(*)::int AS count FROM w GROUP BY channel
     UNION ALL SELECT 'product', product, count(*)::int FROM w GROUP BY product
     UNION ALL SELECT 'issue', issue, count(*)::int FROM w GROUP BY issue
     UNION ALL SELECT 'urgency', urgency, count(*)::int FROM w GROUP BY urgency`,
    window,
  );
  const of = (dimension: string): CountByKey[] =>
    result.rows
      .filter((row) => row.dimension === dimension)
      .map((row) => ({ key: row.key, count: row.count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return { byChannel: of('channel'), byProduct: of('product'), byIssue: of('issue'), byUrgency: of('urgency') };
}

async function stageTimes(db: Queryable, window: readonly [Date, Date]): Promise<StageTime[]> {
  const result = await db.query<{ stage: string; count: number; median_hours: number; p90_hours: number }>(
    `WITH w AS (
       SELECT c.id FROM complaints c
       WHERE c.received_at >= $1::timestamptz AND c.received_at < $2::timestamptz AND c.stage <> 'intake' AND c.merged_into IS NULL
     ),
     stays AS (
       SELECT CASE WHEN e.type = 'registered' THEN 'registered' ELSE e.data->>'to' END AS stage,
         extract(epoch FROM lead(e.created_at) OVER (PARTITION BY e.complaint_id ORDER BY e.seq) - e.created_at)::float8 / 3600 AS hours
       FROM complaint_events e JOIN w ON w.id = e.complaint_id
       WHERE e.type IN ('registered', 'stage.changed')
     )
     SELECT stage, count(*)::int AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median_hours,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) AS p90_hours
     FROM stays WHERE hours IS NOT NULL AND stage IS NOT NULL GROUP BY stage`,
    window,
  );
  const rank = (stage: string) => {
    const index = STAGE_ORDER.indexOf(stage as Stage);
    return index === -1 ? STAGE_ORDER.length : index;
  };
  return result.rows
    .sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage))
    .map((row) => ({ stage: row.stage as Stage, count: row.count, medianHours: round(row.median_hours, 2), p90Hours: round(row.p90_hours, 2) }));
}

async function groups(db: Queryable, query: ReportFiguresQuery & { groupBy: ReportGroupBy }): Promise<ReportGroup[]> {
  const { groupBy } = query;
  let rows: GroupRow[];
  if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') {
    const { unit, format } = BUCKETS[groupBy];
    const local = (instant: string) => `date_trunc('${unit}', ${instant} AT TIME ZONE $3::text)`;
    const result = await db.query<GroupRow>(
      `WITH ${cohort(`, to_char(${local('c.received_at')}, '${format}') AS key`)},
       g AS (SELECT w.key, count(*)::int AS received, ${CLOCK_COUNTS} FROM w LEFT JOIN k ON k.complaint_id = w.id GROUP BY w.key),
       buckets AS (
         SELECT DISTINCT to_char(b, '${format}') AS key
         FROM generate_series(${local('$1::timestamptz')}, ($2::timestamptz AT TIME ZONE $3::text) - interval '1 microsecond', interval '1 ${unit}') b
       )
       SELECT b.key, coalesce(g.received, 0) AS received, coalesce(g.closed, 0) AS closed, coalesce(g.breached, 0) AS breached,
         coalesce(g.within, 0) AS within, coalesce(g.decided, 0) AS decided
       FROM buckets b LEFT JOIN g ON g.key = b.key ORDER BY b.key`,
      [query.from, query.to, query.timeZone],
    );
    rows = result.rows;
  } else {
    const result = await db.query<GroupRow>(
      `WITH ${cohort(`, ${DIMENSIONS[groupBy]} AS key`)}
       SELECT w.key, count(*)::int AS received, ${CLOCK_COUNTS} FROM w LEFT JOIN k ON k.complaint_id = w.id
       GROUP BY w.key ORDER BY received DESC, w.key`,
      [query.from, query.to],
    );
    rows = result.rows;
  }
  return rows.map((row) => ({
    key: row.key,
    received: row.received,
    closed: row.closed,
    breached: row.breached,
    withinDeadlineShare: share(row.within, row.decided),
  }));
}

/**
 * Runs one report statement in its own transaction with JIT compilation off: on these one-off aggregates over
 * 100k rows PostgreSQL's JIT costs more than it saves (a second of compiling on a busy machine). PGlite has no
 * JIT and accepts the setting.
 */
export function withoutJit<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return work(tx);
  });
}

/**
 * The summary figures of the complaints received in [from, to): four or five statements, side by side on
 * PostgreSQL's pool (one after the other on PGlite).
 */
export async function queryReportFigures(db: Database, query: ReportFiguresQuery): Promise<ReportFigures> {
  const window = [query.from, query.to] as const;
  const { groupBy } = query;
  const [totalFigures, volumeFigures, timePerStage, groupFigures] = await Promise.all([
    withoutJit(db, (tx) => totals(tx, window)),
    withoutJit(db, (tx) => volumes(tx, window)),
    withoutJit(db, (tx) => stageTimes(tx, window)),
    groupBy ? withoutJit(db, (tx) => groups(tx, { ...query, groupBy })) : Promise.resolve(undefined),
  ]);
  return { totals: totalFigures, ...volumeFigures, timePerStage, ...(groupFigures ? { groups: groupFigures } : {}) };
}
