/**
 * Business-day calendars: which civil dates are working days for a regime's business-day clocks.
 *
 * A calendar is `COUNTRY` or `COUNTRY-REGION` (`GB-ENG`, `GB-SCT`, `US`, `US-NY`, `HK`, `AU-NSW`, `DE`, `CN`).
 * Weekends (Saturday, Sunday) and the public and bank holidays of date-holidays are non-working days; other
 * holiday types (observance, optional, school) are working days. Each calendar's holidays are computed once per
 * year and cached.
 *
 * China (`CN`) works differently: the State Council's yearly notice (国务院办公厅关于部分节假日安排的通知) moves
 * days around, so a Saturday or Sunday can be an official make-up working day (调休上班, e.g. 2026-02-14 and
 * 2026-02-28 around Spring Festival, 2026-09-20 and 2026-10-10 around National Day). date-holidays has no make-up
 * days and lists half-day or group holidays (妇女节, 青年节, 儿童节, 建军节) as public, so for the years it covers
 * we use the `chinese-days` data set (vsme/chinese-days, transcribed from the yearly notices; 2026:
 * 国办发明电〔2025〕7号): holidays and make-up working days, exactly. For years outside that data we fall back to
 * weekends plus date-holidays' full-day statutory holidays (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆) — no make-up
 * days, so such dates may be off by the swapped days until the package is updated.
 */
import { createRequire } from 'node:module';
import Holidays, { type HolidaysTypes } from 'date-holidays';
import { z } from 'zod';
import { ConfigInvalid, OmbudsError } from '../shared/index.js';
import { addCivilDays, type CivilDate, formatCivilDate, weekday } from './zoned-time.js';

const CALENDAR_PATTERN = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/;

/** Thrown for a calendar name date-holidays does not know (`XX`, `GB-XYZ`). */
export class UnknownCalendar extends ConfigInvalid {
  constructor(calendar: string) {
    super(`Unknown holiday calendar "${calendar}": use a country code, optionally with a region (GB-ENG, GB-SCT, US-NY, AU-NSW).`, [
      { path: 'HOLIDAY_CALENDAR', message: `unknown calendar ${calendar}` },
    ]);
  }
}

/** A clock was asked for with impossible input (a negative offset, an invalid date or time zone): a bug upstream. */
export class ClockInputInvalid extends OmbudsError {
  constructor(message: string) {
    super('CLOCK_INPUT_INVALID', message, { httpStatus: 500 });
  }
}

interface Calendar {
  isNonWorking(date: CivilDate): boolean;
  /** Make-up working days on a weekend (China only). */
  isMakeUpWorkday(date: CivilDate): boolean;
}

// ---- China: chinese-days data (holidays and 调休 make-up working days) -----------------------------------------

const ChineseDaysData = z.object({
  holidays: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string()),
  workdays: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string()),
});

interface ChinaSchedule {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  years: ReadonlySet<number>;
}

let chinaSchedule: ChinaSchedule | undefined;

function loadChinaSchedule(): ChinaSchedule {
  if (chinaSchedule) return chinaSchedule;
  const require = createRequire(import.meta.url);
  const data = ChineseDaysData.parse(require('chinese-days/dist/chinese-days.json'));
  const holidays = new Set(Object.keys(data.holidays));
  const workdays = new Set(Object.keys(data.workdays));
  const years = new Set([...holidays].map((date) => Number(date.slice(0, 4))));
  chinaSchedule = { holidays, workdays, years };
  return chinaSchedule;
}

/** The years the official China schedule (holidays and make-up days) covers. */
export function chinaScheduleYears(): number[] {
  return [...loadChinaSchedule().years].sort((a, b) => a - b);
}

const CN_STATUTORY = /元旦|春节|清明|劳动节|端午|中秋|国庆/;

// ---- date-holidays ----------------------------------------------------------------------------------------------

function holidaysFor(calendar: string, languages?: string): Holidays {
  const match = CALENDAR_PATTERN.exec(calendar);
  const country = match?.[1];
  if (country === undefined) throw new UnknownCalendar(calendar);
  const region = match?.[2];
  const probe = new Holidays();
  if (!Object.hasOwn(probe.getCountries('en'), country)) throw new UnknownCalendar(calendar);
  // getStates answers undefined for a country without regions, whatever its type says.
  const regions = probe.getStates(country, 'en') as Record<string, string> | undefined;
  if (region !== undefined && (regions === undefined || !Object.hasOwn(regions, region))) throw new UnknownCalendar(calendar);
  // Dates are read as the holiday's civil date string, so the library's time zone does not matter.
  const options = { types: ['public', 'bank'] as HolidaysTypes.HolidayType[], ...(languages === undefined ? {} : { languages }) };
  return region === undefined ? new Holidays(country, options) : new Holidays(country, region, options);
}

function dateHolidaysCalendar(calendar: string, filter?: { languages: string; keep: (name: string) => boolean }): Calendar {
  const library = holidaysFor(calendar, filter?.languages);
  const years = new Map<number, ReadonlySet<string>>();
  const nonWorking = (year: number): ReadonlySet<string> => {
    let set = years.get(year);
    if (!set) {
      const dates = new Set<string>();
      for (const holiday of library.getHolidays(year)) {
        if (holiday.type !== 'public' && holiday.type !== 'bank') continue;
        if (filter && !filter.keep(holiday.name)) continue;
        dates.add(holiday.date.slice(0, 10));
      }
      set = dates;
      years.set(year, set);
    }
    return set;
  };
  return {
    isNonWorking: (date) => nonWorking(date.year).has(formatCivilDate(date)),
    isMakeUpWorkday: () => false,
  };
}

function chinaCalendar(): Calendar {
  const schedule = loadChinaSchedule();
  const fallback = dateHolidaysCalendar('CN', { languages: 'zh', keep: (name) => CN_STATUTORY.test(name) });
  return {
    isNonWorking: (date) => (schedule.years.has(date.year) ? schedule.holidays.has(formatCivilDate(date)) : fallback.isNonWorking(date)),
    isMakeUpWorkday: (date) => schedule.years.has(date.year) && schedule.workdays.has(formatCivilDate(date)),
  };
}

const calendars = new Map<string, Calendar>();

function calendarFor(name: string): Calendar {
  let calendar = calendars.get(name);
  if (!calendar) {
    calendar = name === 'CN' ? chinaCalendar() : dateHolidaysCalendar(name);
    calendars.set(name, calendar);
  }
  return calendar;
}

/** Throws {@link UnknownCalendar} unless `name` is a calendar this module can count on (for start-up checks). */
export function assertCalendar(name: string): void {
  calendarFor(name);
}

/** Whether `date` is a working day: not a weekend unless an official make-up day, not a public or bank holiday. */
export function isBusinessDay(date: CivilDate, calendar: string): boolean {
  const cal = calendarFor(calendar);
  if (cal.isMakeUpWorkday(date)) return true;
  const day = weekday(date);
  if (day === 0 || day === 6) return false;
  return !cal.isNonWorking(date);
}

/**
 * The `count`-th business day after `date` (`date` itself is not counted, whatever it is). `count` 0 gives
 * `date` back.
 */
export function addBusinessDays(date: CivilDate, count: number, calendar: string): CivilDate {
  if (!Number.isSafeInteger(count) || count < 0) throw new ClockInputInvalid(`Business days must be a non-negative integer, got ${String(count)}.`);
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = addCivilDays(current, 1);
    if (isBusinessDay(current, calendar)) remaining -= 1;
  }
  return current;
}

/** The first business day on or after `date`. */
export function nextBusinessDay(date: CivilDate, calendar: string): CivilDate {
  let current = date;
  while (!isBusinessDay(current, calendar)) current = addCivilDays(current, 1);
  return current;
}
