/**
 * The supervision dashboard (issue 8 item 5): the summary report's figures for the window (products, issues, share
 * within deadline, time per stage — reports.ts, same cohort and window rules) joined with the dashboard's own
 * (store/dashboard.ts: volumes per bucket and channel, satisfaction per bucket, clocks at risk now, team load now),
 * and its CSV form: one section per table, each a line with the section's name, a header line and its rows, a blank
 * line between sections (RFC 4180 cells, defused for spreadsheets as the report's are).
 */
import type { DashboardView } from '../contracts/index.js';
import { queryDashboardFigures, type Database, type DashboardInterval } from '../store/index.js';
import { csvCell, summaryReport } from './reports.js';

export interface DashboardOptions {
  from: Date;
  to: Date;
  interval: DashboardInterval;
  /** The bank's IANA time zone (`TIMEZONE`). */
  timeZone: string;
  now: Date;
  /** TIMER_WARNING_POINTS: a clock is about to breach past the last of them. */
  warningPoints: readonly number[];
  /** Most complaints listed as breached, and as about to breach (default 100). */
  atRiskLimit?: number;
}

const DEFAULT_AT_RISK_LIMIT = 100;

export async function dashboardView(database: Database, options: DashboardOptions): Promise<DashboardView> {
  const warningFraction = options.warningPoints.length > 0 ? Math.max(...options.warningPoints) : 0.8;
  const [report, figures] = await Promise.all([
    summaryReport(database, { from: options.from, to: options.to, timeZone: options.timeZone }),
    queryDashboardFigures(database, {
      from: options.from,
      to: options.to,
      timeZone: options.timeZone,
      interval: options.interval,
      now: options.now,
      warningFraction,
      atRiskLimit: options.atRiskLimit ?? DEFAULT_AT_RISK_LIMIT,
    }),
  ]);
  return {
    from: report.from,
    to: report.to,
    timeZone: options.timeZone,
    interval: options.interval,
    volumes: figures.volumes,
    byProduct: report.byProduct,
    byIssue: report.byIssue,
    withinDeadlineShare: report.totals.withinDeadlineShare,
    openBreaches: figures.openBreaches,
    aboutToBreach: figures.aboutToBreach,
    timePerStage: report.timePerStage,
    satisfaction: figures.satisfaction,
    teamLoad: figures.teamLoad,
  };
}

type Cell = string | number | null;

/** The dashboard as CSV (see the header of this file). */
export function dashboardCsv(view: DashboardView): string {
  const sections: [string, Cell[], Cell[][]][] = [
    ['window', ['from', 'to', 'time_zone', 'interval', 'within_deadline_share'], [[view.from, view.to, view.timeZone, view.interval, view.withinDeadlineShare]]],
    ['volumes', ['bucket', 'channel', 'count'], view.volumes.flatMap((bucket) => [...bucket.byChannel.map((entry) => [bucket.bucket, entry.key, entry.count]), [bucket.bucket, 'total', bucket.total]])],
    ['by_product', ['product', 'count'], view.byProduct.map((entry) => [entry.key, entry.count])],
    ['by_issue', ['issue', 'count'], view.byIssue.map((entry) => [entry.key, entry.count])],
    ...(['openBreaches', 'aboutToBreach'] as const).map((list): [string, Cell[], Cell[][]] => [
      list === 'openBreaches' ? 'open_breaches' : 'about_to_breach',
      ['reference', 'urgency', 'team', 'assignee', 'channel', 'product', 'issue', 'stage', 'warn_at', 'due_at', 'received_at'],
      view[list].map((item) => [item.reference, item.urgency, item.team, item.assignee, item.channel, item.product, item.issue, item.stage, item.warnAt, item.dueAt, item.receivedAt]),
    ]),
    ['time_per_stage', ['stage', 'count', 'median_hours', 'p90_hours'], view.timePerStage.map((stage) => [stage.stage, stage.count, stage.medianHours, stage.p90Hours])],
    ['satisfaction', ['bucket', 'answered', 'average_score', 'resolved_share'], view.satisfaction.map((bucket) => [bucket.bucket, bucket.answered, bucket.averageScore, bucket.resolvedShare])],
    ['team_load', ['team', 'open', 'unassigned', 'breached', 'agents'], view.teamLoad.map((team) => [team.team, team.open, team.unassigned, team.breached, team.agents])],
  ];
  const line = (cells: Cell[]) => cells.map(csvCell).join(',');
  return sections.map(([name, header, rows]) => [line([name]), line(header), ...rows.map(line)].join('\r\n') + '\r\n').join('\r\n');
}
