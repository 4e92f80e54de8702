import { describe, expect, it } from 'vitest';
import {
  addCivilDays,
  civilDateOf,
  compareCivilDates,
  endOfCivilDay,
  formatCivilDate,
  isValidTimeZone,
  parseCivilDate,
  weekday,
  zonedInstant,
} from './zoned-time.js';

describe('zoned time', () => {
  it('reads the civil date where the bank is', () => {
    // 2026-03-19 23:00Z is already 20 March in Sydney (AEDT, +11) and still 19 March in London.
    expect(civilDateOf(new Date('2026-03-19T23:00:00Z'), 'Australia/Sydney')).toEqual({ year: 2026, month: 3, day: 20 });
    expect(civilDateOf(new Date('2026-03-19T23:00:00Z'), 'Europe/London')).toEqual({ year: 2026, month: 3, day: 19 });
  });

  it('ends a day at local 23:59:59.999 on either side of a daylight-saving change', () => {
    // London: GMT on 28 March, BST (+1) from 29 March 01:00 UTC.
    expect(endOfCivilDay({ year: 2026, month: 3, day: 28 }, 'Europe/London').toISOString()).toBe('2026-03-28T23:59:59.999Z');
    expect(endOfCivilDay({ year: 2026, month: 3, day: 29 }, 'Europe/London').toISOString()).toBe('2026-03-29T22:59:59.999Z');
    // Sydney: AEDT (+11) until 5 April 03:00 local, then AEST (+10).
    expect(endOfCivilDay({ year: 2026, month: 4, day: 4 }, 'Australia/Sydney').toISOString()).toBe('2026-04-04T12:59:59.999Z');
    expect(endOfCivilDay({ year: 2026, month: 4, day: 5 }, 'Australia/Sydney').toISOString()).toBe('2026-04-05T13:59:59.999Z');
    expect(zonedInstant({ year: 2026, month: 7, day: 1 }, [9, 0, 0, 0], 'America/New_York').toISOString()).toBe('2026-07-01T13:00:00.000Z');
  });

  it('adds days across months, years and leap days', () => {
    expect(addCivilDays({ year: 2026, month: 12, day: 23 }, 56)).toEqual({ year: 2027, month: 2, day: 17 });
    expect(addCivilDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addCivilDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(weekday({ year: 2026, month: 12, day: 25 })).toBe(5); // Friday
  });

  it('formats, parses and compares civil dates', () => {
    expect(formatCivilDate({ year: 2026, month: 2, day: 3 })).toBe('2026-02-03');
    expect(parseCivilDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-30', '2026-2-3', '2026-13-01', '20260203', '', '2026-02-03T00:00']) expect(() => parseCivilDate(bad), bad).toThrow(RangeError);
    expect(compareCivilDates(parseCivilDate('2026-01-31'), parseCivilDate('2026-02-01'))).toBeLessThan(0);
    expect(compareCivilDates(parseCivilDate('2026-02-01'), parseCivilDate('2026-02-01'))).toBe(0);
    expect(compareCivilDates(parseCivilDate('2027-01-01'), parseCivilDate('2026-12-31'))).toBeGreaterThan(0);
  });

  it('tells a real time zone from a made-up one', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
