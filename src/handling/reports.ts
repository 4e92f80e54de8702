/**
 * The supervisors' summary report: the window it covers (dates in the bank's time zone), its limits, the figures
 * (store/reports.ts says what each one means) and its CSV form.
 *
 * Window: complaints received in [from, to). A date-only `from` is the start of that day in the bank's time zone; a
 * date-only `to` is the END of that day (so `from=2026-03-01&to=2026-03-31` is the whole of March there). A date-time
 * is that instant. At most {@link MAX_REPORT_DAYS} days.
 *
 * CSV: one long table, `section,key,metric,value`, one figure a row (RFC 4180: CRLF, quoted where needed). A
 * spreadsheet user filters it by section or pivots it (sections as sheets, metrics as columns) without having to
 * find where one table ends and the next starts. Cells that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) get a leading single quote.
 */
import type { ReportGroupBy } from '../contracts/index.js';
import { OmbudsError, PayloadInvalid } from '../shared/index.js';
import { queryReportFigures, type Database, type ReportFigures } from '../store/index.js';
import { addCivilDays, civilDateOf, zonedInstant, type CivilDate } from './zoned-time.js';

export const MAX_REPORT_DAYS = 366;

const HOUR_MS = 3_600_000;
/** One hour of slack, so a window of 366 civil days that crosses one daylight-saving change is accepted. */
const MAX_WINDOW_MS = (MAX_REPORT_DAYS * 24 + 1) * HOUR_MS;

/** A report window the API refuses (400): inverted or too long. */
export class ReportWindowInvalid extends OmbudsError {
  constructor(code: 'REPORT_WINDOW_INVERTED' | 'REPORT_WINDOW_TOO_LONG', message: string) {
    super(code, message, { httpStatus: 400 });
  }
}

export interface SummaryReportOptions {
  from: Date;
  to: Date;
  groupBy?: ReportGroupBy;
  /** The bank's IANA time zone (`TIMEZONE`). */
  timeZone: string;
}

export type SummaryReport = {
  from: string;
  to: string;
  timeZone: string;
  groupBy: ReportGroupBy | null;
} & ReportFigures;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function civilDate(value: string): CivilDate | null {
  const match = DATE_ONLY.exec(value);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const real = check.getUTCFullYear() === date.year && check.getUTCMonth() === date.month - 1 && check.getUTCDate() === date.day;
  return real ? date : null;
}

function instant(value: string, field: 'from' | 'to', timeZone: string): Date {
  if (DATE_ONLY.test(value)) {
    const date = civilDate(value);
    if (!date) throw new PayloadInvalid(`"${value}" is not a calendar date.`, [{ path: field, message: 'not a calendar date' }]);
    // `to` names the last day included: the window ends where the next day starts.
    return zonedInstant(field === 'to' ? addCivilDays(date, 1) : date, [0, 0, 0, 0], timeZone);
  }
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new PayloadInvalid(`"${value}" is not a date or date-time.`, [{ path: field, message: 'not a date or date-time' }]);
  return parsed;
}

function checkWindow(from: Date, to: Date): void {
  if (from.getTime() > to.getTime()) {
    throw new ReportWindowInvalid('REPORT_WINDOW_INVERTED', `The window starts (${from.toISOString()}) after it ends (${to.toISOString()}).`);
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
    throw new ReportWindowInvalid('REPORT_WINDOW_TOO_LONG', `A report covers at most ${String(MAX_REPORT_DAYS)} days; split the window.`);
  }
}

/** The instants of a report window given as ISO dates (bank's civil days, `to` included) or date-times. */
export function reportWindow(from: string, to: string, timeZone: string): { from: Date; to: Date } {
  const window = { from: instant(from, 'from', timeZone), to: instant(to, 'to', timeZone) };
  // A date-only `to` names a day to include: a window starting when that day has ended is inverted, not empty.
  if (DATE_ONLY.test(to) && window.from.getTime() >= window.to.getTime()) {
    throw new ReportWindowInvalid('REPORT_WINDOW_INVERTED', `The window starts (${from}) after the last day it includes (${to}).`);
  }
  checkWindow(window.from, window.to);
  return window;
}

/** The civil dates a window covers (`to` is exclusive, so its last day is the day of the instant before it). */
export function reportWindowDates(window: { from: Date; to: Date }, timeZone: string): { from: string; to: string } {
  const show = (date: CivilDate) => `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  const last = window.to.getTime() > window.from.getTime() ? new Date(window.to.getTime() - 1) : window.from;
  return { from: show(civilDateOf(window.from, timeZone)), to: show(civilDateOf(last, timeZone)) };
}

/** The summary of the complaints received in [from, to). Throws {@link ReportWindowInvalid} for a bad window. */
export async function summaryReport(database: Database, options: SummaryReportOptions): Promise<SummaryReport> {
  checkWindow(options.from, options.to);
  const figures = await queryReportFigures(database, {
    from: options.from,
    to: options.to,
    timeZone: options.timeZone,
    ...(options.groupBy ? { groupBy: options.groupBy } : {}),
  });
  return { from: options.from.toISOString(), to: options.to.toISOString(), timeZone: options.timeZone, groupBy: options.groupBy ?? null, ...figures };
}

type Cell = string | number | null;

/** RFC 4180 field, defused for spreadsheets: a leading = + - @ tab or CR gets a single quote. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report as one `section,key,metric,value` table (see the header of this file). */
export function toCsv(report: SummaryReport): string {
  const rows: Cell[][] = [['section', 'key', 'metric', 'value']];
  const add = (section: string, key: string, metric: string, value: Cell) => rows.push([section, key, metric, value]);

  add('window', 'all', 'from', report.from);
  add('window', 'all', 'to', report.to);
  add('window', 'all', 'time_zone', report.timeZone);
  if (report.groupBy) add('window', 'all', 'group_by', report.groupBy);

  const { totals } = report;
  const { satisfaction } = totals;
  add('totals', 'all', 'received', totals.received);
  add('totals', 'all', 'open', totals.open);
  add('totals', 'all', 'closed', totals.closed);
  add('totals', 'all', 'breached', totals.breached);
  add('totals', 'all', 'within_deadline_share', totals.withinDeadlineShare);
  add('totals', 'all', 'upheld_rate', totals.upheldRate);
  add('satisfaction', 'all', 'sent', satisfaction.sent);
  add('satisfaction', 'all', 'answered', satisfaction.answered);
  add('satisfaction', 'all', 'response_rate', satisfaction.responseRate);
  add('satisfaction', 'all', 'average_score', satisfaction.averageScore);
  add('satisfaction', 'all', 'resolved_share', satisfaction.resolvedShare);
  for (const score of ['1', '2', '3', '4', '5'] as const) add('satisfaction_score', score, 'count', satisfaction.distribution[score]);

  const volumes = [
    ['channel', report.byChannel],
    ['product', report.byProduct],
    ['issue', report.byIssue],
    ['urgency', report.byUrgency],
  ] as const;
  for (const [section, entries] of volumes) for (const entry of entries) add(section, entry.key, 'count', entry.count);

  for (const stage of report.timePerStage) {
    add('time_per_stage', stage.stage, 'count', stage.count);
    add('time_per_stage', stage.stage, 'median_hours', stage.medianHours);
    add('time_per_stage', stage.stage, 'p90_hours', stage.p90Hours);
  }

  if (report.groupBy && report.groups) {
    const section = `by_${report.groupBy}`;
    for (const group of report.groups) {
      add(section, group.key, 'received', group.received);
      add(section, group.key, 'closed', group.closed);
      add(section, group.key, 'breached', group.breached);
      add(section, group.key, 'within_deadline_share', group.withinDeadlineShare);
    }
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
