/**
 * When it happened: the first date a customer's words give, in English or Chinese, as an ISO date in the bank's
 * time zone — "today", "yesterday", "the day before yesterday", "3 days ago", "last Tuesday", "28 November",
 * "Nov 28th", "28/11", "2026-11-28", "今天", "昨天", "前天", "3天前", "上周二", "11月28日", "28号". A complaint is
 * about the past: a date that would fall after today is read as last year's (or dropped when it cannot be).
 * Every pattern is bounded; normalised text in, no I/O.
 */
import { normalizeForMatching } from './normalize.js';

interface CivilDay {
  year: number;
  month: number;
  day: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6, jul: 7, july: 7,
  aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};
const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const ZH_WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ZH_NUMBERS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const MONTH_NAMES = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

const PATTERNS: readonly { pattern: RegExp; read: (match: RegExpExecArray, today: CivilDay) => CivilDay | null }[] = [
  { pattern: /\b(20\d{2})-(\d{1,2})-(\d{1,2})\b/, read: (m) => exact(Number(m[1]), Number(m[2]), Number(m[3])) },
  { pattern: /(20\d{2})年(\d{1,2})月(\d{1,2})[日号]/, read: (m) => exact(Number(m[1]), Number(m[2]), Number(m[3])) },
  { pattern: /(\d{1,2})月(\d{1,2})[日号]/, read: (m, today) => recent(today, Number(m[1]), Number(m[2])) },
  { pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? (${MONTH_NAMES})\\b`), read: (m, today) => recent(today, MONTHS[m[2] ?? ''] ?? 0, Number(m[1])) },
  { pattern: new RegExp(`\\b(${MONTH_NAMES}) (\\d{1,2})(?:st|nd|rd|th)?\\b`), read: (m, today) => recent(today, MONTHS[m[1] ?? ''] ?? 0, Number(m[2])) },
  // 28/11 or 28.11 (day first, as in the UK, HK, AU and China's written dates); 11/28 when the first part cannot be a month.
  { pattern: /(?<![\d/.])(\d{1,2})[/.](\d{1,2})(?:[/.](20\d{2}|\d{2}))?(?![\d/.])/, read: (m, today) => dayMonth(today, Number(m[1]), Number(m[2]), m[3]) },
  { pattern: /\bday before yesterday\b|前天/, read: (_m, today) => shift(today, -2) },
  { pattern: /\byesterday\b|\blast night\b|昨天|昨晚|昨日/, read: (_m, today) => shift(today, -1) },
  { pattern: /\btoday\b|\bthis (?:morning|afternoon|evening)\b|\btonight\b|今天|今早|今晚|今日/, read: (_m, today) => today },
  { pattern: /\b(\d{1,2}|a|one|two|three|four|five|six|seven) (day|week)s? ago\b/, read: (m, today) => ago(today, m[1] ?? '', m[2] === 'week' ? 7 : 1) },
  { pattern: /([\d一两二三四五六七八九十]{1,2})(天|周|个星期|星期)[以之]?前/, read: (m, today) => agoZh(today, m[1] ?? '', m[2] === '天' ? 1 : 7) },
  { pattern: /\b(last|on|this past) (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/, read: (m, today) => weekdayDate(today, WEEKDAYS[m[2] ?? ''] ?? -1, m[1] === 'last' ? 'last' : 'recent') },
  { pattern: /(上)?(?:周|星期|礼拜)([一二三四五六日天])/, read: (m, today) => weekdayDate(today, ZH_WEEKDAYS[m[2] ?? ''] ?? -1, m[1] === '上' ? 'previous_week' : 'recent') },
  { pattern: /(?<![\d月])(\d{1,2})号/, read: (m, today) => recent(today, today.month, Number(m[1]), true) },
];

/** One formatter per time zone: building an Intl.DateTimeFormat costs ~10× formatting with one (bench: 3 % of a dialog turn). */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function valid(date: CivilDay): boolean {
  const probe = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return probe.getUTCFullYear() === date.year && probe.getUTCMonth() === date.month - 1 && probe.getUTCDate() === date.day;
}

function exact(year: number, month: number, day: number): CivilDay | null {
  const date = { year, month, day };
  return valid(date) ? date : null;
}

function compare(a: CivilDay, b: CivilDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** A month and day without a year: this year's, or last year's when this year's is still to come. */
function recent(today: CivilDay, month: number, day: number, monthMayRollBack = false): CivilDay | null {
  let date = { year: today.year, month, day };
  if (compare(date, today) > 0) {
    date = monthMayRollBack ? { year: month === 1 ? today.year - 1 : today.year, month: month === 1 ? 12 : month - 1, day } : { ...date, year: today.year - 1 };
  }
  return valid(date) ? date : null;
}

function dayMonth(today: CivilDay, first: number, second: number, year: string | undefined): CivilDay | null {
  const [day, month] = first > 12 || second <= 12 ? [first, second] : [second, first];
  if (month < 1 || month > 12) return null;
  if (year === undefined) return recent(today, month, day);
  const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
  return exact(fullYear, month, day);
}

function shift(today: CivilDay, days: number): CivilDay {
  const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function ago(today: CivilDay, count: string, unit: number): CivilDay | null {
  const words: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };
  const value = words[count] ?? Number(count);
  return Number.isFinite(value) && value > 0 ? shift(today, -value * unit) : null;
}

function agoZh(today: CivilDay, count: string, unit: number): CivilDay | null {
  const value = /^\d+$/.test(count) ? Number(count) : count === '十' ? 10 : (ZH_NUMBERS[count] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? shift(today, -value * unit) : null;
}

/**
 * A weekday: "on Monday" / 周一 = the most recent one (today included); "last Monday" = the most recent before
 * today; 上周一 = Monday of the previous calendar week (weeks start on Monday in China).
 */
function weekdayDate(today: CivilDay, weekday: number, mode: 'recent' | 'last' | 'previous_week'): CivilDay | null {
  if (weekday < 0) return null;
  const current = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
  const recentBack = (current - weekday + 7) % 7;
  if (mode === 'recent') return shift(today, -recentBack);
  if (mode === 'last') return shift(today, -(recentBack === 0 ? 7 : recentBack));
  const isoCurrent = current === 0 ? 7 : current;
  const isoTarget = weekday === 0 ? 7 : weekday;
  return shift(today, -(isoCurrent - isoTarget + 7));
}

function todayIn(now: Date, timeZone: string): CivilDay {
  const parts = dayFormatter(timeZone).formatToParts(now);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? Number.NaN);
  return { year: get('year'), month: get('month'), day: get('day') };
}

function iso(date: CivilDay): string {
  return `${String(date.year)}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

const TEXT_LIMIT = 4000;

/** The first date the text gives (ISO), never after today in `timeZone`; null when it gives none. */
export function extractIncidentDate(text: string, options: { now: Date; timeZone: string }): string | null {
  if (typeof text !== 'string' || text === '') return null;
  const normalized = normalizeForMatching(text.slice(0, TEXT_LIMIT)).toLowerCase();
  const today = todayIn(options.now, options.timeZone);
  let best: { index: number; date: CivilDay } | null = null;
  for (const { pattern, read } of PATTERNS) {
    const match = pattern.exec(normalized);
    if (!match) continue;
    const date = read(match, today);
    if (date === null || compare(date, today) > 0) continue;
    if (best === null || match.index < best.index) best = { index: match.index, date };
  }
  return best ? iso(best.date) : null;
}
