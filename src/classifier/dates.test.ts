import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractIncidentDate } from './dates.js';

// Monday 30 November 2026: 10:00 in Shanghai, 02:00 in London (both Monday). The previous calendar week runs
// Monday 23 – Sunday 29 November.
const NOW = new Date('2026-11-30T02:00:00Z');
const read = (text: string, timeZone = 'Asia/Shanghai') => extractIncidentDate(text, { now: NOW, timeZone });

describe('extractIncidentDate', () => {
  it.each([
    ['It happened yesterday at the ATM', '2026-11-29'],
    ['the day before yesterday', '2026-11-28'],
    ['this morning my card was declined', '2026-11-30'],
    ['3 days ago', '2026-11-27'],
    ['about a week ago', '2026-11-23'],
    ['on 28 November', '2026-11-28'],
    ['Nov 3rd', '2026-11-03'],
    ['on 28/11 I paid', '2026-11-28'],
    ['on 11/28 I paid', '2026-11-28'],
    ['2026-10-05', '2026-10-05'],
    ['last Friday', '2026-11-27'],
    ['last Monday', '2026-11-23'],
    ['on Monday', '2026-11-30'],
    ['昨天在网上转账', '2026-11-29'],
    ['前天', '2026-11-28'],
    ['3天前', '2026-11-27'],
    ['两周前', '2026-11-16'],
    ['上周二', '2026-11-24'],
    ['周五的时候', '2026-11-27'],
    ['11月28日', '2026-11-28'],
    ['2025年12月3号', '2025-12-03'],
    ['28号那天', '2026-11-28'],
  ])('reads %j as %s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it('never gives a date after today: a month-day still to come is last year’s', () => {
    expect(read('on 25 December')).toBe('2025-12-25');
    expect(read('12月25日')).toBe('2025-12-25');
    expect(read('2027-01-01')).toBeNull();
  });

  it('counts days in the bank’s time zone', () => {
    // 2026-11-29T20:00Z is Sunday 29 November in London but Monday 30 November in Shanghai.
    const at = new Date('2026-11-29T20:00:00Z');
    expect(extractIncidentDate('yesterday', { now: at, timeZone: 'Europe/London' })).toBe('2026-11-28');
    expect(extractIncidentDate('yesterday', { now: at, timeZone: 'Asia/Shanghai' })).toBe('2026-11-29');
  });

  it('takes the first date given, and none from amounts, times or impossible dates', () => {
    expect(read('yesterday, and again on 28 November')).toBe('2026-11-29');
    expect(read('I was charged £45.50 at 10.30')).toBeNull();
    expect(read('31/02')).toBeNull();
    expect(read('no date here')).toBeNull();
    expect(read('')).toBeNull();
  });

  it('never throws and stays bounded on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const result = read(text);
        expect(result === null || /^\d{4}-\d{2}-\d{2}$/.test(result)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(read('1/'.repeat(50_000))).toBeNull();
  });
});
