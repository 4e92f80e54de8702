/**
 * Civil dates in the bank's time zone (Intl only): regulatory clocks count days where the bank is, not in UTC.
 * A clock's last day ends at 23:59:59.999 local time, whatever the daylight-saving offset is that day.
 */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let existing = formatters.get(timeZone);
  if (!existing) {
    existing = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, existing);
  }
  return existing;
}

function parts(instant: Date, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out;
}

/** The civil date of `instant` in `timeZone`. */
export function civilDateOf(instant: Date, timeZone: string): CivilDate {
  const p = parts(instant, timeZone);
  return { year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1 };
}

/** Offset of `timeZone` from UTC at `instant`, in ms (Asia/Shanghai: +8 h). */
function offsetMs(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of local wall time `date` `hh:mm:ss.mmm` in `timeZone` (DST-aware). */
export function zonedInstant(date: CivilDate, time: [number, number, number, number], timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, ...time);
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

export function addCivilDays(date: CivilDate, days: number): CivilDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function endOfCivilDay(date: CivilDate, timeZone: string): Date {
  return zonedInstant(date, [23, 59, 59, 999], timeZone);
}

/** Whether `timeZone` is an IANA zone Intl knows (`Europe/London`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD`. */
export function formatCivilDate(date: CivilDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Parses `YYYY-MM-DD`; throws RangeError for anything else or a date that does not exist (2026-02-30). */
export function parseCivilDate(text: string): CivilDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  if (!date || formatCivilDate(addCivilDays(date, 0)) !== text) throw new RangeError(`not a civil date (YYYY-MM-DD): ${text}`);
  return date;
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareCivilDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}
