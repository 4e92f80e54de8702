/**
 * Deadline arithmetic (pure, no I/O): the clocks a complaint gets under its regime, their due times, extensions,
 * warning times and pause shifts (DOMAIN.md §1, decision 0009).
 *
 * Counting: a clock ends at the end (23:59:59.999) of its last day in the bank's time zone. Calendar days count
 * from the day after receipt (received Monday, 1 calendar day → Tuesday); business days are the business days
 * after the day of receipt on the clock's holiday calendar (received Friday, 1 business day → Monday, or the next
 * working day after a holiday); a week is 7 calendar days.
 */
import type { Flag, Product, Regime } from '../contracts/index.js';
import { OmbudsError } from '../shared/index.js';
import { addBusinessDays, assertCalendar, ClockInputInvalid } from './calendars.js';
import { REGIMES, ruleApplies, type ClockRule, type ClockUnit, type ExtensionRule } from './regimes.js';
import { addCivilDays, civilDateOf, endOfCivilDay, isValidTimeZone } from './zoned-time.js';

/** The regime has no extension of that name for that clock (409: the request is valid, the case does not allow it). */
export class ExtensionNotAllowed extends OmbudsError {
  constructor(regime: string, clock: string, extension: string, allowed: readonly string[]) {
    super(
      'EXTENSION_NOT_ALLOWED',
      `The ${regime} ${clock} clock has no extension "${extension}"${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ' (it cannot be extended)'}.`,
      { httpStatus: 409, details: [{ path: 'extension', message: allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'no extension allowed' }] },
    );
  }
}

export interface ComputedClock {
  regime: Regime;
  clock: ClockRule['clock'];
  startsAt: Date;
  dueAt: Date;
  rule: ClockRule;
  /** A path that is shown, never breached. */
  optional: boolean;
  /** The holiday calendar its business days were counted on. */
  calendar: string;
}

export interface ClockInput {
  regime: Regime;
  receivedAt: Date;
  timeZone: string;
  flags: readonly Flag[];
  product: Product | null;
  /** Overrides the regime's default calendar (HOLIDAY_CALENDAR). */
  calendar?: string;
}

function checkInstant(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new ClockInputInvalid(`${name} is not a valid date.`);
}

function checkTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new ClockInputInvalid(`Unknown time zone "${timeZone}".`);
}

/** The end of the last day of a clock of `offset` `unit`s that starts at `startsAt`. */
export function dueAfter(startsAt: Date, offset: number, unit: ClockUnit, timeZone: string, calendar: string): Date {
  checkInstant(startsAt, 'startsAt');
  checkTimeZone(timeZone);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ClockInputInvalid(`A clock offset must be a non-negative integer, got ${String(offset)}.`);
  const received = civilDateOf(startsAt, timeZone);
  switch (unit) {
    case 'calendarDay':
      return endOfCivilDay(addCivilDays(received, offset), timeZone);
    case 'week':
      return endOfCivilDay(addCivilDays(received, offset * 7), timeZone);
    case 'businessDay':
      return endOfCivilDay(addBusinessDays(received, offset, calendar), timeZone);
    default:
      throw new ClockInputInvalid(`Unknown clock unit "${String(unit satisfies never)}".`);
  }
}

/**
 * Every clock that applies to the complaint: the regime's clocks (a matching conditional rule replaces the
 * unconditional rule of the same name; of several matching conditional rules the earliest due wins), plus the
 * regulator-referred clock when the complaint has flag `regulator_referred`.
 */
export function computeClocks(input: ClockInput): ComputedClock[] {
  const definition = REGIMES[input.regime];
  const calendar = input.calendar ?? definition.calendar;
  assertCalendar(calendar);
  const make = (rule: ClockRule): ComputedClock => ({
    regime: input.regime,
    clock: rule.clock,
    startsAt: input.receivedAt,
    dueAt: dueAfter(input.receivedAt, rule.offset, rule.unit, input.timeZone, calendar),
    rule,
    optional: rule.optional === true,
    calendar,
  });
  const chosen = new Map<string, ComputedClock>();
  const conditional = new Set<string>();
  for (const rule of definition.clocks) {
    if (!ruleApplies(rule, input.flags, input.product)) continue;
    const clock = make(rule);
    const existing = chosen.get(rule.clock);
    const isConditional = rule.when !== undefined;
    if (
      !existing ||
      (isConditional && !conditional.has(rule.clock)) ||
      (isConditional && existing.dueAt.getTime() > clock.dueAt.getTime())
    ) {
      chosen.set(rule.clock, clock);
      if (isConditional) conditional.add(rule.clock);
    }
  }
  const clocks = [...chosen.values()];
  if (definition.regulatorReferred && input.flags.includes('regulator_referred')) clocks.push(make(definition.regulatorReferred));
  return clocks;
}

/** The earliest due time over the clocks that can breach (not optional; open when they carry a status). */
export function earliestDue(clocks: readonly { dueAt: Date; optional: boolean; status?: string }[]): Date | null {
  let soonest: Date | null = null;
  for (const clock of clocks) {
    if (clock.optional || (clock.status !== undefined && clock.status !== 'open')) continue;
    if (!soonest || clock.dueAt.getTime() < soonest.getTime()) soonest = clock.dueAt;
  }
  return soonest;
}

/** The regime's extension `name` for this clock, or {@link ExtensionNotAllowed}. */
export function findExtension(clock: Pick<ComputedClock, 'regime' | 'clock' | 'rule'>, name: string): ExtensionRule {
  const extension = clock.rule.extensions.find((candidate) => candidate.name === name);
  if (!extension) throw new ExtensionNotAllowed(clock.regime, clock.clock, name, clock.rule.extensions.map((candidate) => candidate.name));
  return extension;
}

/**
 * The due time after applying extension `extensionName` (its offset counts from the clock's start). Pauses are
 * not included: add the clock's accumulated paused time with {@link shiftForPause}.
 */
export function extendedDueAt(
  clock: Pick<ComputedClock, 'regime' | 'clock' | 'rule' | 'startsAt'> & { calendar?: string },
  extensionName: string,
  timeZone: string,
  calendar?: string,
): Date {
  const extension = findExtension(clock, extensionName);
  return dueAfter(clock.startsAt, extension.offset, extension.unit, timeZone, calendar ?? clock.calendar ?? REGIMES[clock.regime].calendar);
}

export type TimerPoint = `warn${number}` | 'due';

/**
 * When to warn: at each fraction of the clock's length (0.5 → `warn50`, 0.8 → `warn80`), then `due` at `dueAt`.
 * Points outside (0, 1) are refused.
 */
export function warningTimes(startsAt: Date, dueAt: Date, points: readonly number[]): { point: TimerPoint; at: Date }[] {
  checkInstant(startsAt, 'startsAt');
  checkInstant(dueAt, 'dueAt');
  if (dueAt.getTime() < startsAt.getTime()) throw new ClockInputInvalid('dueAt is before startsAt.');
  const length = dueAt.getTime() - startsAt.getTime();
  const out: { point: TimerPoint; at: Date }[] = [];
  for (const point of [...points].sort((a, b) => a - b)) {
    if (!Number.isFinite(point) || point <= 0 || point >= 1) throw new ClockInputInvalid(`A warning point must be a fraction between 0 and 1, got ${String(point)}.`);
    const percent: number = Math.round(point * 100);
    out.push({ point: `warn${percent}`, at: new Date(startsAt.getTime() + point * length) });
  }
  out.push({ point: 'due', at: dueAt });
  return out;
}

/** The due time moved by the time a clock spent paused (CN: external appraisal, awaiting the customer). */
export function shiftForPause(dueAt: Date, pausedMs: number): Date {
  checkInstant(dueAt, 'dueAt');
  if (!Number.isFinite(pausedMs) || pausedMs < 0) throw new ClockInputInvalid(`Paused time must be a non-negative number of ms, got ${String(pausedMs)}.`);
  return new Date(dueAt.getTime() + pausedMs);
}
