import { describe, expect, it } from 'vitest';
import { isOmbudsError } from '../shared/index.js';
import { addBusinessDays, assertCalendar, chinaScheduleYears, ClockInputInvalid, isBusinessDay, nextBusinessDay, UnknownCalendar } from './calendars.js';
import { formatCivilDate, parseCivilDate } from './zoned-time.js';

const working = (date: string, calendar: string): boolean => isBusinessDay(parseCivilDate(date), calendar);
const plus = (date: string, days: number, calendar: string): string => formatCivilDate(addBusinessDays(parseCivilDate(date), days, calendar));

describe('UK bank holidays (GB-ENG, GB-SCT)', () => {
  it('skips Christmas, Boxing Day and its substitute day in 2026', () => {
    // 2026-12-25 is a Friday, Boxing Day a Saturday, so Monday 28th is the substitute bank holiday.
    expect(working('2026-12-24', 'GB-ENG')).toBe(true);
    expect(working('2026-12-25', 'GB-ENG')).toBe(false);
    expect(working('2026-12-26', 'GB-ENG')).toBe(false);
    expect(working('2026-12-28', 'GB-ENG')).toBe(false);
    expect(working('2026-12-29', 'GB-ENG')).toBe(true);
    // Thu 24 → Fri 25 (hol), Sat, Sun, Mon 28 (substitute) → Tue 29 is the first business day after the 24th.
    expect(plus('2026-12-24', 1, 'GB-ENG')).toBe('2026-12-29');
  });

  it('knows where Scotland and England differ', () => {
    // 2 January is a bank holiday in Scotland only; St Andrew's Day (Mon 2026-11-30) too; the summer bank holiday is
    // the first Monday of August in Scotland (3rd) and the last in England (31st).
    expect(working('2026-01-02', 'GB-ENG')).toBe(true);
    expect(working('2026-01-02', 'GB-SCT')).toBe(false);
    expect(working('2026-11-30', 'GB-SCT')).toBe(false);
    expect(working('2026-11-30', 'GB-ENG')).toBe(true);
    expect(working('2026-08-03', 'GB-SCT')).toBe(false);
    expect(working('2026-08-03', 'GB-ENG')).toBe(true);
    expect(working('2026-08-31', 'GB-ENG')).toBe(false);
    expect(working('2026-08-31', 'GB-SCT')).toBe(true);
    // Wed 2025-12-31 + 1 business day: England Fri 2 Jan; Scotland skips 1–2 Jan and the weekend → Mon 5 Jan.
    expect(plus('2025-12-31', 1, 'GB-ENG')).toBe('2026-01-02');
    expect(plus('2025-12-31', 1, 'GB-SCT')).toBe('2026-01-05');
  });
});

describe('US federal holidays', () => {
  it('skips Thanksgiving and an observed Independence Day, not the day after Thanksgiving', () => {
    expect(working('2026-11-26', 'US')).toBe(false); // Thanksgiving, 4th Thursday of November
    expect(working('2026-11-27', 'US')).toBe(true);
    expect(working('2026-07-03', 'US')).toBe(false); // 4 July is a Saturday: observed Friday 3rd
    expect(working('2026-01-19', 'US')).toBe(false); // Martin Luther King Jr. Day, 3rd Monday of January
    // Wed 2026-11-25 + 2: Thu 26 (Thanksgiving) skipped → Fri 27 (1), Sat, Sun → Mon 30 (2).
    expect(plus('2026-11-25', 2, 'US')).toBe('2026-11-30');
  });

  it('adds a state calendar’s holidays (US-NY: Lincoln’s Birthday)', () => {
    expect(working('2026-02-12', 'US')).toBe(true);
    expect(working('2026-02-12', 'US-NY')).toBe(false);
  });
});

describe('Hong Kong and Australia', () => {
  it('skips the 2026 Easter and Ching Ming run in Hong Kong', () => {
    // Good Friday 3 Apr, the day following Good Friday 4 Apr, the day following Ching Ming (5 Apr is a Sunday)
    // 6 Apr, the day following Easter Monday 7 Apr.
    for (const date of ['2026-04-03', '2026-04-04', '2026-04-06', '2026-04-07']) expect(working(date, 'HK')).toBe(false);
    // Thu 2 Apr + 1 business day → Wed 8 Apr.
    expect(plus('2026-04-02', 1, 'HK')).toBe('2026-04-08');
  });

  it('skips Anzac Day’s substitute Monday in New South Wales', () => {
    // Anzac Day 2026 is a Saturday; NSW observes Monday 27 April.
    expect(working('2026-04-27', 'AU-NSW')).toBe(false);
    expect(working('2026-06-08', 'AU-NSW')).toBe(false); // King's Birthday, 2nd Monday of June
    expect(plus('2026-04-24', 1, 'AU-NSW')).toBe('2026-04-28');
  });
});

describe('China (official schedule with make-up working days)', () => {
  it('covers 2024–2026 from the State Council notices', () => {
    expect(chinaScheduleYears()).toEqual(expect.arrayContaining([2024, 2025, 2026]));
  });

  it('works the make-up Saturdays around Spring Festival 2026 and rests 15–23 February', () => {
    // Notice 国办发明电〔2025〕7号: 2月15日至23日放假调休，共9天; 2月14日（周六）、2月28日（周六）上班.
    expect(working('2026-02-14', 'CN')).toBe(true);
    expect(working('2026-02-28', 'CN')).toBe(true);
    for (const date of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) expect(working(date, 'CN')).toBe(false);
    expect(working('2026-02-24', 'CN')).toBe(true);
    // Thu 12 Feb + 5: Fri 13 (1), Sat 14 make-up (2), 15–23 off, Tue 24 (3), Wed 25 (4), Thu 26 (5).
    expect(plus('2026-02-12', 5, 'CN')).toBe('2026-02-26');
    // … + 7: Fri 27 (6), Sat 28 make-up (7).
    expect(plus('2026-02-12', 7, 'CN')).toBe('2026-02-28');
  });

  it('rests Golden Week 2026 and works Sunday 20 September and Saturday 10 October', () => {
    // 10月1日至7日放假调休; 9月20日（周日）、10月10日（周六）上班. Mid-Autumn: 9月25日至27日.
    expect(working('2026-09-20', 'CN')).toBe(true);
    expect(working('2026-10-10', 'CN')).toBe(true);
    expect(working('2026-10-11', 'CN')).toBe(false);
    for (const date of ['2026-09-25', '2026-10-01', '2026-10-05', '2026-10-07']) expect(working(date, 'CN')).toBe(false);
    // Fri 18 Sep + 1 → Sun 20 Sep (make-up working day).
    expect(plus('2026-09-18', 1, 'CN')).toBe('2026-09-20');
    // Wed 30 Sep + 3: 1–7 Oct off, Thu 8 (1), Fri 9 (2), Sat 10 make-up (3).
    expect(plus('2026-09-30', 3, 'CN')).toBe('2026-10-10');
  });

  it('does not treat half-day and group holidays (妇女节, 青年节, 建军节) as days off', () => {
    expect(working('2026-03-09', 'CN')).toBe(true); // Monday; 8 March is a Sunday anyway
    expect(working('2026-05-04', 'CN')).toBe(false); // inside the 1–5 May Labour Day break, not for 青年节
    expect(working('2025-08-01', 'CN')).toBe(true); // 建军节, a Friday: a working day for banks
  });

  it('falls back to weekends and full-day statutory holidays beyond the data', () => {
    const beyond = Math.max(...chinaScheduleYears()) + 1;
    // 1 January is 元旦 every year; 8 March (妇女节) is never a day off; a Sunday is off without make-up data.
    expect(working(`${String(beyond)}-01-01`, 'CN')).toBe(false);
    const march8 = parseCivilDate(`${String(beyond)}-03-08`);
    const march8Weekday = new Date(Date.UTC(march8.year, 2, 8)).getUTCDay();
    expect(isBusinessDay(march8, 'CN')).toBe(march8Weekday !== 0 && march8Weekday !== 6);
  });
});

describe('bad input', () => {
  it('refuses unknown calendars and regions with a config error', () => {
    for (const name of ['XX', 'GB-XYZ', 'HK-ABC', 'gb', 'GB-', '']) {
      let caught: unknown;
      try {
        assertCalendar(name);
      } catch (error) {
        caught = error;
      }
      expect(caught, name).toBeInstanceOf(UnknownCalendar);
      expect(isOmbudsError(caught) && caught.code).toBe('CONFIG_INVALID');
    }
    expect(() => isBusinessDay(parseCivilDate('2026-01-05'), 'ZZ')).toThrow(UnknownCalendar);
  });

  it('refuses negative or fractional business-day counts', () => {
    expect(() => addBusinessDays(parseCivilDate('2026-01-05'), -1, 'GB-ENG')).toThrow(ClockInputInvalid);
    expect(() => addBusinessDays(parseCivilDate('2026-01-05'), 1.5, 'GB-ENG')).toThrow(ClockInputInvalid);
  });

  it('gives the date back for 0 business days and finds the next business day', () => {
    expect(plus('2026-12-25', 0, 'GB-ENG')).toBe('2026-12-25');
    expect(formatCivilDate(nextBusinessDay(parseCivilDate('2026-12-25'), 'GB-ENG'))).toBe('2026-12-29');
    expect(formatCivilDate(nextBusinessDay(parseCivilDate('2026-12-29'), 'GB-ENG'))).toBe('2026-12-29');
  });
});
