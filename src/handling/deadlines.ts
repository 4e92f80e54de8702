/**
 * Due dates: a clock of N calendar or business days from the customer's contact, ending at the end of that
 * day in the bank's time zone.
 */
import type { Regime } from '../contracts/index.js';
import { REGIME_CLOCKS, type ClockRule } from './regimes.js';
import { addCivilDays, civilDateOf, endOfCivilDay, weekday } from './zoned-time.js';

export interface ComputedDeadline {
  regime: Regime;
  clock: ClockRule['clock'];
  startsAt: Date;
  dueAt: Date;
}

export function dueDate(startsAt: Date, rule: ClockRule, timeZone: string): Date {
  let date = civilDateOf(startsAt, timeZone);
  if (rule.dayType === 'calendar') {
    date = addCivilDays(date, rule.days);
  } else {
    let remaining = rule.days;
    while (remaining > 0) {
      date = addCivilDays(date, 1);
      const day = weekday(date);
      if (day !== 0 && day !== 6) remaining -= 1;
    }
  }
  return endOfCivilDay(date, timeZone);
}

export function computeDeadlines(regime: Regime, startsAt: Date, timeZone: string): ComputedDeadline[] {
  return REGIME_CLOCKS[regime].map((rule) => ({ regime, clock: rule.clock, startsAt, dueAt: dueDate(startsAt, rule, timeZone) }));
}
