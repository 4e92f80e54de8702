/**
 * The workflow's view of a stored clock's rule (ClockEngine in workflow.ts): extensions and pauses are decided by
 * the rule saved with the clock at registration (regimes.ts), so a later change of the regime data never rewrites
 * the terms of a complaint already running.
 */
import type { PauseReason } from '../contracts/index.js';
import type { DeadlineRow } from '../store/index.js';
import { dueAfter } from './deadlines.js';
import { ClockRuleSchema, REGIMES, type ClockRule } from './regimes.js';
import type { ClockEngine } from './workflow.js';

/** What a clock row stores in `rule`: the regime's rule and the calendar its business days were counted on. */
export type StoredClockRule = ClockRule & { calendar?: string };

function storedRule(deadline: DeadlineRow): StoredClockRule | null {
  const parsed = ClockRuleSchema.safeParse(deadline.rule);
  if (!parsed.success) return null;
  const calendar = typeof deadline.rule.calendar === 'string' ? deadline.rule.calendar : undefined;
  return { ...parsed.data, ...(calendar ? { calendar } : {}) };
}

export function createClockEngine(config: { timeZone: string; calendar?: string }): ClockEngine {
  const extend: ClockEngine['extend'] = (deadline, name) => {
    const rule = storedRule(deadline);
    const extension = rule?.extensions.find((candidate) => candidate.name === name);
    if (!rule || !extension) return null;
    const regime = deadline.regime in REGIMES ? REGIMES[deadline.regime as keyof typeof REGIMES] : undefined;
    const calendar = rule.calendar ?? config.calendar ?? regime?.calendar ?? 'CN';
    return {
      dueAt: dueAfter(deadline.startsAt, extension.offset, extension.unit, config.timeZone, calendar),
      requiresApproval: extension.requiresApproval,
      mustNotifyCustomer: extension.mustNotifyCustomer,
      holdingReply: extension.holdingReply === true,
    };
  };
  return {
    extend,
    extensions(deadline) {
      if (deadline.status !== 'open' && deadline.status !== 'paused') return [];
      // The workflow's own test: the extended date (plus the time spent paused) must be later than the current one.
      return (storedRule(deadline)?.extensions ?? [])
        .map((extension) => extension.name)
        .filter((name) => {
          const extended = extend(deadline, name);
          return extended !== null && extended.dueAt.getTime() + deadline.pausedMs > deadline.dueAt.getTime();
        });
    },
    metByAcknowledgement(deadline) {
      return storedRule(deadline)?.metBy === 'acknowledgement';
    },
    pausable(deadline, reason: PauseReason) {
      return storedRule(deadline)?.pausable.includes(reason) ?? false;
    },
  };
}
