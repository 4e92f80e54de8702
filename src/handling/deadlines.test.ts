import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComplaintAction } from '../contracts/index.js';
import { isOmbudsError } from '../shared/index.js';
import { ClockInputInvalid, isBusinessDay, UnknownCalendar } from './calendars.js';
import {
  computeClocks,
  dueAfter,
  earliestDue,
  ExtensionNotAllowed,
  extendedDueAt,
  shiftForPause,
  warningTimes,
  type ComputedClock,
} from './deadlines.js';
import { civilDateOf } from './zoned-time.js';

const iso = (date: Date): string => date.toISOString();
const byClock = (clocks: ComputedClock[]): Record<string, string> => Object.fromEntries(clocks.map((clock) => [clock.clock, iso(clock.dueAt)]));
const DAY = 86_400_000;

describe('dueAfter: counting', () => {
  it('counts calendar days from the day after receipt, to the end of the last day in the bank time zone', () => {
    // 2026-11-30 23:30 in Shanghai is 15:30 UTC; 15 days later ends 2026-12-15 23:59:59.999 +08:00.
    expect(iso(dueAfter(new Date('2026-11-30T15:30:00Z'), 15, 'calendarDay', 'Asia/Shanghai', 'CN'))).toBe('2026-12-15T15:59:59.999Z');
    // 16:30 UTC is already 1 December 00:30 in Shanghai: the clock counts from the bank's day, so 16 December.
    expect(iso(dueAfter(new Date('2026-11-30T16:30:00Z'), 15, 'calendarDay', 'Asia/Shanghai', 'CN'))).toBe('2026-12-16T15:59:59.999Z');
  });

  it('counts business days after the day of receipt, skipping weekends', () => {
    // Friday 2026-11-27 in London; 3 business days: Mon 30 (1), Tue 1 Dec (2), Wed 2 Dec (3).
    expect(iso(dueAfter(new Date('2026-11-27T10:00:00Z'), 3, 'businessDay', 'Europe/London', 'GB-ENG'))).toBe('2026-12-02T23:59:59.999Z');
  });

  it('counts weeks as 7 calendar days', () => {
    expect(iso(dueAfter(new Date('2026-01-05T10:00:00Z'), 2, 'week', 'Europe/London', 'GB-ENG'))).toBe('2026-01-19T23:59:59.999Z');
  });

  it('ends the day at local midnight across a daylight-saving change (London, spring and autumn)', () => {
    // 2026-03-20 (GMT) + 15 calendar days = 2026-04-04, in BST (UTC+1) since 29 March: 22:59:59.999Z.
    expect(iso(dueAfter(new Date('2026-03-20T12:00:00Z'), 15, 'calendarDay', 'Europe/London', 'GB-ENG'))).toBe('2026-04-04T22:59:59.999Z');
    // 2026-09-10 12:00 BST + 8 weeks (56 days: Sep 10 + 20 = Sep 30, + 31 = Oct 31, + 5 = Nov 5), GMT since 25 Oct.
    expect(iso(dueAfter(new Date('2026-09-10T11:00:00Z'), 8, 'week', 'Europe/London', 'GB-ENG'))).toBe('2026-11-05T23:59:59.999Z');
  });

  it('ends the day at local midnight across a daylight-saving change (Sydney)', () => {
    // 2026-03-19 23:00Z is 20 March 10:00 AEDT (+11). + 30 days = 19 April, in AEST (+10) since 5 April: 13:59:59.999Z.
    expect(iso(dueAfter(new Date('2026-03-19T23:00:00Z'), 30, 'calendarDay', 'Australia/Sydney', 'AU-NSW'))).toBe('2026-04-19T13:59:59.999Z');
    // 2026-09-30 10:00 AEST (00:00Z) + 7 days = 7 October, in AEDT (+11) since 4 October: 12:59:59.999Z.
    expect(iso(dueAfter(new Date('2026-09-30T00:00:00Z'), 7, 'calendarDay', 'Australia/Sydney', 'AU-NSW'))).toBe('2026-10-07T12:59:59.999Z');
  });
});

describe('computeClocks: every regime', () => {
  it('cn_nfra: 15 calendar days; complex → 30, senior_approval → 60 (from receipt)', () => {
    const clocks = computeClocks({ regime: 'cn_nfra', receivedAt: new Date('2026-11-30T02:00:00Z'), timeZone: 'Asia/Shanghai', flags: [], product: 'cards' });
    // Received 30 Nov (Shanghai): + 15 = 15 Dec; + 30 = 30 Dec; + 60 = 29 Jan 2027 (Nov 30 + 31 = Dec 31, + 29).
    expect(byClock(clocks)).toEqual({ final_response: '2026-12-15T15:59:59.999Z' });
    const [final] = clocks;
    if (!final) throw new Error('no clock');
    expect(iso(extendedDueAt(final, 'complex', 'Asia/Shanghai'))).toBe('2026-12-30T15:59:59.999Z');
    expect(iso(extendedDueAt(final, 'senior_approval', 'Asia/Shanghai'))).toBe('2027-01-29T15:59:59.999Z');
    expect(final.rule.pausable).toEqual(['external_appraisal', 'awaiting_customer_information']);
    expect(final.rule.extensions.map((extension) => [extension.name, extension.requiresApproval, extension.mustNotifyCustomer])).toEqual([
      ['complex', 'supervisor', true],
      ['senior_approval', 'senior', true],
    ]);
  });

  it('cn_nfra regulator-referred (12378): a 15-working-day clock across Mid-Autumn and Golden Week 2026', () => {
    // Received Wed 23 Sep 10:00 Shanghai. Working days: Thu 24 (1); 25–27 Mid-Autumn; Mon 28 (2), Tue 29 (3),
    // Wed 30 (4); 1–7 Oct National Day; Thu 8 (5), Fri 9 (6), Sat 10 make-up (7); Mon 12–Fri 16 (8–12);
    // Mon 19 (13), Tue 20 (14), Wed 21 (15).
    const clocks = computeClocks({
      regime: 'cn_nfra',
      receivedAt: new Date('2026-09-23T02:00:00Z'),
      timeZone: 'Asia/Shanghai',
      flags: ['regulator_referred', 'fraud'],
      product: 'cards',
    });
    expect(byClock(clocks)).toEqual({ final_response: '2026-10-08T15:59:59.999Z', regulator_response: '2026-10-21T15:59:59.999Z' });
    // The 15-calendar-day final response (23 Sep + 15 = 8 Oct) is the earlier one.
    expect(iso(earliestDue(clocks) ?? new Date(0))).toBe('2026-10-08T15:59:59.999Z');
  });

  it('uk_fca: optional 3-business-day summary resolution over Christmas 2026, final response at 8 weeks', () => {
    // Received Wed 23 Dec 10:00 GMT. Business days: Thu 24 (1); Fri 25, Sat 26, Sun 27, Mon 28 (Boxing Day
    // substitute) off; Tue 29 (2), Wed 30 (3). Final: 23 Dec + 56 = 17 Feb 2027 (Dec 23 + 8 = Dec 31, + 31, + 17).
    const clocks = computeClocks({ regime: 'uk_fca', receivedAt: new Date('2026-12-23T10:00:00Z'), timeZone: 'Europe/London', flags: [], product: null });
    expect(byClock(clocks)).toEqual({ summary_resolution: '2026-12-30T23:59:59.999Z', final_response: '2027-02-17T23:59:59.999Z' });
    expect(clocks.map((clock) => clock.optional)).toEqual([true, false]);
    // The optional path never counts as the deadline.
    expect(iso(earliestDue(clocks) ?? new Date(0))).toBe('2027-02-17T23:59:59.999Z');
  });

  it('uk_fca on the Scottish calendar counts St Andrew’s Day', () => {
    // Received Fri 27 Nov 2026. GB-ENG: Mon 30 (1), Tue 1 (2), Wed 2 (3). GB-SCT: Mon 30 off → Tue 1, Wed 2, Thu 3.
    const input = { regime: 'uk_fca', receivedAt: new Date('2026-11-27T10:00:00Z'), timeZone: 'Europe/London', flags: [], product: null } as const;
    expect(byClock(computeClocks(input)).summary_resolution).toBe('2026-12-02T23:59:59.999Z');
    expect(byClock(computeClocks({ ...input, calendar: 'GB-SCT' })).summary_resolution).toBe('2026-12-03T23:59:59.999Z');
  });

  it('uk_fca_psd: 15 business days, holding reply → 35 business days', () => {
    // Received Fri 18 Dec 2026 15:00 GMT. Summary resolution: Mon 21 (1), Tue 22 (2), Wed 23 (3).
    // Final: Mon 21 (1) … Thu 24 (4); 25, 28 Dec off; Tue 29 (5), Wed 30 (6),
    // Thu 31 (7); Fri 1 Jan off; Mon 4 – Fri 8 (8–12); Mon 11 (13), Tue 12 (14), Wed 13 Jan (15).
    // 35: Thu 14 (16), Fri 15 (17), 18–22 (18–22), 25–29 (23–27), 1–5 Feb (28–32), Mon 8 (33), Tue 9 (34), Wed 10 Feb (35).
    const clocks = computeClocks({
      regime: 'uk_fca_psd',
      receivedAt: new Date('2026-12-18T15:00:00Z'),
      timeZone: 'Europe/London',
      flags: [],
      product: 'payments_transfers',
    });
    expect(byClock(clocks)).toEqual({ summary_resolution: '2026-12-23T23:59:59.999Z', final_response: '2027-01-13T23:59:59.999Z' });
    const final = clocks.find((clock) => clock.clock === 'final_response');
    if (!final) throw new Error('no final clock');
    expect(iso(extendedDueAt(final, 'holding_reply', 'Europe/London'))).toBe('2027-02-10T23:59:59.999Z');
    expect(final.rule.extensions[0]?.holdingReply).toBe(true);
  });

  it('eu_psd2: 15 business days on the German calendar (24 and 31 December are bank holidays)', () => {
    // Received Wed 23 Dec 2026 10:00 CET (09:00Z). Thu 24 (bank), 25, 26, 27 off; Mon 28 (1), Tue 29 (2),
    // Wed 30 (3); Thu 31 (bank), Fri 1 Jan off; Mon 4 – Fri 8 (4–8); Mon 11 – Fri 15 (9–13); Mon 18 (14), Tue 19 (15).
    // Holding reply, 35: Wed 20 (16) … Fri 22 (18); 25–29 (19–23); 1–5 Feb (24–28); 8–12 (29–33); Mon 15 (34), Tue 16 Feb (35).
    const clocks = computeClocks({ regime: 'eu_psd2', receivedAt: new Date('2026-12-23T09:00:00Z'), timeZone: 'Europe/Berlin', flags: [], product: null });
    expect(byClock(clocks)).toEqual({ final_response: '2027-01-19T22:59:59.999Z' });
    const [final] = clocks;
    if (!final) throw new Error('no clock');
    expect(iso(extendedDueAt(final, 'holding_reply', 'Europe/Berlin'))).toBe('2027-02-16T22:59:59.999Z');
  });

  it('us_cfpb: 15 calendar days, "In progress" → 60', () => {
    // Received Wed 25 Nov 2026 14:00 EST (19:00Z). + 15 = 10 Dec (Thanksgiving does not matter: calendar days);
    // + 60 = 24 Jan 2027 (Nov 25 + 5 = Nov 30, + 31 = Dec 31, + 24). End of day EST = 04:59:59.999Z next day.
    const clocks = computeClocks({ regime: 'us_cfpb', receivedAt: new Date('2026-11-25T19:00:00Z'), timeZone: 'America/New_York', flags: [], product: 'mortgages' });
    expect(byClock(clocks)).toEqual({ final_response: '2026-12-11T04:59:59.999Z' });
    const [final] = clocks;
    if (!final) throw new Error('no clock');
    expect(iso(extendedDueAt(final, 'in_progress', 'America/New_York'))).toBe('2027-01-25T04:59:59.999Z');
  });

  it('hk_hkma: acknowledge in 7 days, final in 30, interim reply → 60', () => {
    // Received Tue 31 Mar 2026 10:00 HKT. + 7 = 7 Apr (calendar days: the Easter holidays do not matter);
    // + 30 = 30 Apr; + 60 = 30 May.
    const clocks = computeClocks({ regime: 'hk_hkma', receivedAt: new Date('2026-03-31T02:00:00Z'), timeZone: 'Asia/Hong_Kong', flags: [], product: 'cards' });
    expect(byClock(clocks)).toEqual({ acknowledge: '2026-04-07T15:59:59.999Z', final_response: '2026-04-30T15:59:59.999Z' });
    expect(clocks.map((clock) => clock.rule.metBy)).toEqual(['acknowledgement', 'final_response']);
    const final = clocks[1];
    if (!final) throw new Error('no final clock');
    expect(iso(extendedDueAt(final, 'interim_reply', 'Asia/Hong_Kong'))).toBe('2026-05-30T15:59:59.999Z');
  });

  it('au_asic: acknowledge in 1 business day over Anzac Day, 30 days, 21 for hardship', () => {
    // Received Fri 24 Apr 2026 16:00 AEST (06:00Z). Sat 25 (Anzac), Sun 26, Mon 27 (Anzac substitute) off →
    // Tue 28 (1). Final + 30 = 24 May; hardship + 21 = 15 May.
    const base = { regime: 'au_asic', receivedAt: new Date('2026-04-24T06:00:00Z'), timeZone: 'Australia/Sydney' } as const;
    expect(byClock(computeClocks({ ...base, flags: [], product: 'loans' }))).toEqual({
      acknowledge: '2026-04-28T13:59:59.999Z',
      final_response: '2026-05-24T13:59:59.999Z',
    });
    const hardship = computeClocks({ ...base, flags: ['vulnerable_customer'], product: 'loans' });
    expect(byClock(hardship)).toEqual({ acknowledge: '2026-04-28T13:59:59.999Z', final_response: '2026-05-15T13:59:59.999Z' });
    expect(hardship[1]?.rule.when).toBeDefined();
    // Vulnerable, but not about credit: the standard 30 days.
    expect(byClock(computeClocks({ ...base, flags: ['vulnerable_customer'], product: 'deposit_accounts' })).final_response).toBe('2026-05-24T13:59:59.999Z');
    expect(byClock(computeClocks({ ...base, flags: ['vulnerable_customer'], product: null })).final_response).toBe('2026-05-24T13:59:59.999Z');
  });

  it('gives no regulator clock to regimes without one, and no clock twice', () => {
    for (const regime of ['uk_fca', 'uk_fca_psd', 'eu_psd2', 'us_cfpb', 'hk_hkma', 'au_asic'] as const) {
      const clocks = computeClocks({ regime, receivedAt: new Date('2026-06-01T08:00:00Z'), timeZone: 'UTC', flags: ['regulator_referred', 'vulnerable_customer'], product: 'loans' });
      const names = clocks.map((clock) => clock.clock);
      expect(names, regime).not.toContain('regulator_response');
      expect(new Set(names).size, regime).toBe(names.length);
    }
  });
});

describe('extensions, pauses, warnings', () => {
  const at = new Date('2026-11-30T02:00:00Z');

  it('refuses an extension the regime does not allow, naming the allowed ones', () => {
    const [cn] = computeClocks({ regime: 'cn_nfra', receivedAt: at, timeZone: 'Asia/Shanghai', flags: [], product: null });
    const uk = computeClocks({ regime: 'uk_fca', receivedAt: at, timeZone: 'Europe/London', flags: [], product: null }).find((clock) => clock.clock === 'final_response');
    if (!cn || !uk) throw new Error('no clock');
    let caught: unknown;
    try {
      extendedDueAt(cn, 'holding_reply', 'Asia/Shanghai');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExtensionNotAllowed);
    expect(isOmbudsError(caught) && [caught.code, caught.httpStatus]).toEqual(['EXTENSION_NOT_ALLOWED', 409]);
    expect(caught instanceof Error && caught.message).toContain('complex, senior_approval');
    expect(() => extendedDueAt(uk, 'complex', 'Europe/London')).toThrow(/cannot be extended/);
    // An extension named by staff reaches here from the action body as is.
    const action: ComplaintAction = { type: 'extend_deadline', clock: 'final_response', extension: 'COMPLEX', reason: 'r' };
    expect(() => extendedDueAt(cn, action.extension, 'Asia/Shanghai')).toThrow(ExtensionNotAllowed);
  });

  it('moves a due time by the paused time', () => {
    const due = new Date('2026-12-15T15:59:59.999Z');
    expect(iso(shiftForPause(due, 3 * DAY))).toBe('2026-12-18T15:59:59.999Z');
    expect(iso(shiftForPause(due, 0))).toBe(iso(due));
    expect(() => shiftForPause(due, -1)).toThrow(ClockInputInvalid);
    expect(() => shiftForPause(due, Number.NaN)).toThrow(ClockInputInvalid);
  });

  it('warns at 50 % and 80 % of the clock, then is due', () => {
    // A 10-day clock from 1 Dec 00:00Z: 50 % = 6 Dec 00:00Z, 80 % = 9 Dec 00:00Z.
    const startsAt = new Date('2026-12-01T00:00:00Z');
    const dueAt = new Date('2026-12-11T00:00:00Z');
    expect(warningTimes(startsAt, dueAt, [0.8, 0.5]).map(({ point, at: when }) => [point, iso(when)])).toEqual([
      ['warn50', '2026-12-06T00:00:00.000Z'],
      ['warn80', '2026-12-09T00:00:00.000Z'],
      ['due', '2026-12-11T00:00:00.000Z'],
    ]);
    expect(warningTimes(startsAt, dueAt, [])).toEqual([{ point: 'due', at: dueAt }]);
  });

  it('refuses warning points outside (0, 1) and a due time before the start', () => {
    const startsAt = new Date('2026-12-01T00:00:00Z');
    const dueAt = new Date('2026-12-11T00:00:00Z');
    for (const point of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => warningTimes(startsAt, dueAt, [point]), String(point)).toThrow(ClockInputInvalid);
    expect(() => warningTimes(dueAt, startsAt, [0.5])).toThrow(ClockInputInvalid);
  });

  it('takes the earliest open, non-optional clock', () => {
    const a = { dueAt: new Date('2026-12-10T00:00:00Z'), optional: false, status: 'open' };
    const b = { dueAt: new Date('2026-12-05T00:00:00Z'), optional: false, status: 'met' };
    const c = { dueAt: new Date('2026-12-01T00:00:00Z'), optional: true };
    const d = { dueAt: new Date('2026-12-08T00:00:00Z'), optional: false };
    expect(earliestDue([a, b, c, d])).toEqual(d.dueAt);
    expect(earliestDue([b, c])).toBeNull();
    expect(earliestDue([])).toBeNull();
  });
});

describe('bad input', () => {
  it('refuses impossible offsets, dates, time zones and calendars', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    expect(() => dueAfter(at, -1, 'calendarDay', 'UTC', 'GB-ENG')).toThrow(ClockInputInvalid);
    expect(() => dueAfter(at, 2.5, 'businessDay', 'UTC', 'GB-ENG')).toThrow(ClockInputInvalid);
    expect(() => dueAfter(new Date('not a date'), 1, 'calendarDay', 'UTC', 'GB-ENG')).toThrow(ClockInputInvalid);
    expect(() => dueAfter(at, 1, 'calendarDay', 'Mars/Olympus_Mons', 'GB-ENG')).toThrow(/Unknown time zone/);
    expect(() => dueAfter(at, 1, 'fortnight' as 'week', 'UTC', 'GB-ENG')).toThrow(/Unknown clock unit/);
    expect(() => computeClocks({ regime: 'uk_fca', receivedAt: at, timeZone: 'UTC', flags: [], product: null, calendar: 'GB-XYZ' })).toThrow(UnknownCalendar);
  });
});

describe('properties', () => {
  const zones = [
    ['Asia/Shanghai', 'CN'],
    ['Europe/London', 'GB-ENG'],
    ['Europe/London', 'GB-SCT'],
    ['America/New_York', 'US'],
    ['Asia/Hong_Kong', 'HK'],
    ['Australia/Sydney', 'AU-NSW'],
    ['Europe/Berlin', 'DE'],
  ] as const;
  const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms));
  const unit = fc.constantFrom('calendarDay', 'businessDay', 'week' as const);

  it('due dates are monotonic in the offset and never before the start', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), unit, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (startsAt, [zone, calendar], u, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const dueLow = dueAfter(startsAt, low, u, zone, calendar);
        const dueHigh = dueAfter(startsAt, high, u, zone, calendar);
        expect(dueLow.getTime()).toBeLessThanOrEqual(dueHigh.getTime());
        expect(dueLow.getTime()).toBeGreaterThan(startsAt.getTime());
        if (low < high && u !== 'businessDay') expect(dueLow.getTime()).toBeLessThan(dueHigh.getTime());
      }),
    );
  });

  it('business-day clocks always end on a business day, at the end of that day', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), fc.integer({ min: 1, max: 40 }), (startsAt, [zone, calendar], offset) => {
        const due = dueAfter(startsAt, offset, 'businessDay', zone, calendar);
        expect(isBusinessDay(civilDateOf(due, zone), calendar)).toBe(true);
        // One ms later is the next civil day.
        expect(civilDateOf(new Date(due.getTime() + 1), zone)).not.toEqual(civilDateOf(due, zone));
        // Strictly later for one more business day.
        expect(dueAfter(startsAt, offset + 1, 'businessDay', zone, calendar).getTime()).toBeGreaterThan(due.getTime());
      }),
    );
  });
});
