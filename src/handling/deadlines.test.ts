import { describe, expect, it } from 'vitest';
import { computeDeadlines, dueDate } from './deadlines.js';

describe('dueDate', () => {
  it('counts calendar days to the end of the day in the bank time zone', () => {
    // 2026-11-30 23:30 in Shanghai is 15:30 UTC; 15 days later ends 2026-12-15 23:59:59.999 +08:00.
    const start = new Date('2026-11-30T15:30:00Z');
    expect(dueDate(start, { clock: 'final_response', days: 15, dayType: 'calendar' }, 'Asia/Shanghai').toISOString()).toBe('2026-12-15T15:59:59.999Z');
  });

  it('skips weekends for business days', () => {
    // Friday 2026-11-27 in London; 3 business days → Wednesday 2026-12-02 end of day (GMT).
    const start = new Date('2026-11-27T10:00:00Z');
    expect(dueDate(start, { clock: 'final_response', days: 3, dayType: 'business' }, 'Europe/London').toISOString()).toBe('2026-12-02T23:59:59.999Z');
  });

  it('ends the day at local midnight across a daylight-saving change', () => {
    // 2026-03-20 in London (GMT) + 15 calendar days = 2026-04-04, which is in BST (UTC+1).
    const start = new Date('2026-03-20T12:00:00Z');
    expect(dueDate(start, { clock: 'final_response', days: 15, dayType: 'calendar' }, 'Europe/London').toISOString()).toBe('2026-04-04T22:59:59.999Z');
  });

  it('gives Hong Kong both its acknowledgement and final clocks', () => {
    const clocks = computeDeadlines('hk_hkma', new Date('2026-11-30T02:00:00Z'), 'Asia/Hong_Kong');
    expect(clocks.map((clock) => clock.clock)).toEqual(['acknowledge', 'final_response']);
    expect(clocks[0]?.dueAt.toISOString()).toBe('2026-12-07T15:59:59.999Z');
  });
});
