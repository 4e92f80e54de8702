/**
 * SLA timers (decision 0009): the delayed `timers` jobs of every open clock (a warning per point of
 * TIMER_WARNING_POINTS, `warn50`, `warn80`, …, and `due`), what a firing timer does (a warning to the owner, a
 * breach that escalates), and recreating every open clock's timers after a Redis loss. A timer carries its clock's
 * due time: one whose clock has since moved, paused or closed does nothing, and one that fires twice finds its
 * point recorded (`warned_points`, `breached`) and does nothing either.
 */
import { jobIds, type TimerJob } from '../contracts/index.js';
import { enqueueFollowUps, PermanentJobFailure, type FollowUpJob, type Processor, type QueueDriver } from '../queue/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import {
  appendEvents,
  escalateForBreach,
  listOpenDeadlines,
  lockDeadline,
  markDeadlineBreached,
  markDeadlineWarned,
  type AuditEventInput,
  type Database,
  type LockedDeadline,
  type Queryable,
} from '../store/index.js';
import type { EventDispatcher } from './ports.js';
import type { QueueEvents } from './queue-events.js';

/** The breach point's name; warning points are `warn<percent>`. */
export const DUE_POINT = 'due';
const ACTOR = 'system:timers';
/** A timer that fires more than this before its time (a clock skew, a driver's timer overflow) does nothing. */
const EARLY_TOLERANCE_MS = 2_000;
/** Most jobs per enqueueMany call (one Redis round trip well within the enqueue timeout). */
const ENQUEUE_CHUNK = 500;

/** `warn50` for 0.5, `warn80` for 0.8. */
export function warningPointName(fraction: number): string {
  return `warn${Math.round(fraction * 100)}`;
}

/** The fraction of a warning point's name (`warn80` → 0.8), or null when the name is not a warning point. */
function fractionOfName(point: string): number | null {
  const match = /^warn(\d{1,3})$/.exec(point);
  return match?.[1] === undefined ? null : Number(match[1]) / 100;
}

function validPoints(points: readonly number[]): number[] {
  for (const point of points) {
    if (!(Number.isFinite(point) && point > 0 && point < 1)) throw new RangeError(`warning points are fractions between 0 and 1 (got ${point})`);
  }
  return [...new Set(points)].sort((a, b) => a - b);
}

/** When a point of a clock falls: a fraction of the way from its start to its due time. */
function pointTime(startsAt: Date, dueAt: Date, fraction: number): number {
  return startsAt.getTime() + fraction * (dueAt.getTime() - startsAt.getTime());
}

export interface TimerClock {
  complaintId: string;
  deadlineId: string;
  startsAt: Date;
  dueAt: Date;
  status: string;
  /** Warning points already recorded (no job is made for them). */
  warnedPoints?: readonly string[];
}

function timerJob(clock: TimerClock, point: string, at: number, now: Date): FollowUpJob {
  const payload: TimerJob = { kind: 'deadline', complaintId: clock.complaintId, deadlineId: clock.deadlineId, point, dueAt: clock.dueAt.toISOString() };
  return {
    queue: 'timers',
    payload,
    options: { jobId: jobIds.timer(clock.complaintId, clock.deadlineId, point, clock.dueAt), delayMs: Math.max(0, Math.round(at - now.getTime())) },
  };
}

/**
 * The timers of each open clock: one per warning point (`points` as fractions of the clock's length) and one for
 * `due`, each delayed until its time (0 when it has passed). A warning whose clock is already due is left out: the
 * breach says more.
 */
export function timerJobsFor(clocks: readonly TimerClock[], points: readonly number[], now: Date): FollowUpJob[] {
  const fractions = validPoints(points);
  const jobs: FollowUpJob[] = [];
  for (const clock of clocks) {
    if (clock.status !== 'open') continue;
    const due = clock.dueAt.getTime();
    if (due > now.getTime()) {
      const seen = new Set(clock.warnedPoints);
      for (const fraction of fractions) {
        const name = warningPointName(fraction);
        if (seen.has(name)) continue;
        seen.add(name);
        jobs.push(timerJob(clock, name, pointTime(clock.startsAt, clock.dueAt, fraction), now));
      }
    }
    jobs.push(timerJob(clock, DUE_POINT, due, now));
  }
  return jobs;
}

export interface TimerObserver {
  warned(point: string): void;
  breached(regime: string, clock: string): void;
}

export interface TimerProcessorConfig {
  database: Database;
  clock: Clock;
  dispatcher: EventDispatcher;
  /** TIMER_WARNING_POINTS: the last (largest) one also tells the supervisors. */
  warningPoints: readonly number[];
  /** A survey nobody answered in time: close the complaint (inside `tx`); returns the jobs to enqueue after commit. */
  onSurveyExpired: (tx: Queryable, complaintId: string, at: Date) => Promise<FollowUpJob[]>;
  /** An intake dialog went quiet (the intake dialog's own job; it enqueues its jobs itself). */
  onDialogIdle?: (conversationId: string, lastActivityAt: string) => Promise<void>;
  /** Enqueues jobs after the transaction committed. */
  enqueue: (jobs: readonly FollowUpJob[]) => Promise<void>;
  observer?: TimerObserver;
  logger?: Logger;
  /** The staff console's live queue: a hint after each warning and breach recorded. */
  queueEvents?: QueueEvents;
}

type DeadlineTimer = Extract<TimerJob, { kind: 'deadline' }>;

export function createTimerProcessor(config: TimerProcessorConfig): Processor<'timers'> {
  const fractions = validPoints(config.warningPoints);
  const byName = new Map(fractions.map((fraction) => [warningPointName(fraction), fraction]));
  const lastWarning = fractions.length > 0 ? warningPointName(Math.max(...fractions)) : null;

  function ownerAudience(deadline: LockedDeadline): string {
    if (deadline.complaint.assignee !== null) return `staff:${deadline.complaint.assignee}`;
    if (deadline.complaint.team !== null) return `team:${deadline.complaint.team}`;
    return 'supervisors';
  }

  function describe(deadline: LockedDeadline, point: string) {
    return { deadlineId: deadline.id, regime: deadline.regime, clock: deadline.clock, point, dueAt: deadline.dueAt.toISOString() };
  }

  async function warn(tx: Queryable, deadline: LockedDeadline, point: string, at: Date): Promise<boolean> {
    if (!(await markDeadlineWarned(tx, deadline.id, point))) return false;
    const data = describe(deadline, point);
    await appendEvents(tx, [{ complaintId: deadline.complaintId, type: 'deadline.warning', actor: ACTOR, data, at }]);
    const notification = { kind: 'deadline.warning', complaintId: deadline.complaintId, data: { ...data, reference: deadline.complaint.reference }, at };
    const audience = ownerAudience(deadline);
    await config.dispatcher.notify(tx, { ...notification, audience });
    if (point === lastWarning && audience !== 'supervisors') await config.dispatcher.notify(tx, { ...notification, audience: 'supervisors' });
    return true;
  }

  async function breach(tx: Queryable, deadline: LockedDeadline, at: Date): Promise<{ jobs: FollowUpJob[]; recorded: boolean }> {
    if (!(await markDeadlineBreached(tx, deadline.id, at))) return { jobs: [], recorded: false };
    const data = describe(deadline, DUE_POINT);
    const optional = deadline.rule.optional === true;
    const events: AuditEventInput[] = [{ complaintId: deadline.complaintId, type: 'deadline.breached', actor: ACTOR, data: { ...data, optional }, at }];
    // An optional clock is a path (a quick-resolution route) that has closed, not a limit that was missed.
    if (optional) {
      await appendEvents(tx, events);
      return { jobs: [], recorded: false };
    }
    const change = await escalateForBreach(tx, deadline.complaintId, at);
    if (change.stage) events.push({ complaintId: deadline.complaintId, type: 'stage.changed', actor: ACTOR, data: { ...change.stage, reason: 'deadline breached' }, at });
    if (change.urgency) events.push({ complaintId: deadline.complaintId, type: 'urgency.raised', actor: ACTOR, data: { ...change.urgency }, at });
    await appendEvents(tx, events);
    const stage = change.stage?.to ?? deadline.complaint.stage;
    const urgency = change.urgency?.to ?? deadline.complaint.urgency;
    const summary = { ...data, reference: deadline.complaint.reference, stage, urgency, team: deadline.complaint.team, escalated: change.stage !== null };
    await config.dispatcher.notify(tx, { kind: 'deadline.breached', complaintId: deadline.complaintId, audience: 'supervisors', data: summary, at });
    const jobs = await config.dispatcher.emit(tx, { type: 'complaint.breached', complaintId: deadline.complaintId, at, data: summary });
    if (change.stage) {
      jobs.push(
        ...(await config.dispatcher.emit(tx, {
          type: 'complaint.escalated',
          complaintId: deadline.complaintId,
          at,
          data: { reference: deadline.complaint.reference, from: change.stage.from, to: change.stage.to, reason: 'deadline breached', urgency, team: deadline.complaint.team },
        })),
      );
    }
    return { jobs, recorded: true };
  }

  async function fire(payload: DeadlineTimer): Promise<void> {
    const isDue = payload.point === DUE_POINT;
    const fraction = isDue ? 1 : (byName.get(payload.point) ?? fractionOfName(payload.point));
    if (fraction === null || fraction <= 0 || fraction > 1) throw new PermanentJobFailure(`Unknown timer point "${payload.point}".`);
    const scheduledDue = Date.parse(payload.dueAt);
    const at = config.clock.now();
    const outcome = await config.database.transaction(async (tx) => {
      const deadline = await lockDeadline(tx, payload.deadlineId);
      if (deadline === null) return { kind: 'gone' as const };
      // A clock that moved (extension, pause and resume), stopped or belongs elsewhere: this timer is stale.
      if (deadline.complaintId !== payload.complaintId || deadline.status !== 'open' || deadline.dueAt.getTime() !== scheduledDue) return { kind: 'stale' as const };
      const time = isDue ? deadline.dueAt.getTime() : pointTime(deadline.startsAt, deadline.dueAt, fraction);
      if (at.getTime() < time - EARLY_TOLERANCE_MS) return { kind: 'early' as const };
      if (!isDue) {
        // Past the due time a warning says nothing the breach does not.
        if (at.getTime() >= deadline.dueAt.getTime()) return { kind: 'stale' as const };
        return (await warn(tx, deadline, payload.point, at)) ? { kind: 'warned' as const, complaint: deadline.complaint } : { kind: 'stale' as const };
      }
      const result = await breach(tx, deadline, at);
      return result.recorded
        ? { kind: 'breached' as const, jobs: result.jobs, regime: deadline.regime, clock: deadline.clock, complaint: deadline.complaint }
        : { kind: 'stale' as const };
    });
    const hint = (complaint: LockedDeadline['complaint'], reason: 'warned' | 'breached') => {
      config.queueEvents?.publish({ complaintId: payload.complaintId, reference: complaint.reference, team: complaint.team, assignee: complaint.assignee, reason, at });
    };
    switch (outcome.kind) {
      case 'warned':
        config.observer?.warned(payload.point);
        hint(outcome.complaint, 'warned');
        return;
      case 'breached':
        config.observer?.breached(outcome.regime, outcome.clock);
        hint(outcome.complaint, 'breached');
        await config.enqueue(outcome.jobs);
        return;
      case 'early':
        config.logger?.warn({ deadlineId: payload.deadlineId, point: payload.point }, 'timer fired before its time; the timer reconciler sets it again');
        return;
      case 'gone':
        config.logger?.warn({ deadlineId: payload.deadlineId }, 'timer for a clock that does not exist');
        return;
      case 'stale':
        return;
    }
  }

  return async (payload) => {
    if (payload.kind === 'deadline') {
      await fire(payload);
      return;
    }
    if (payload.kind === 'dialog_idle') {
      if (config.onDialogIdle) await config.onDialogIdle(payload.conversationId, payload.lastActivityAt);
      else config.logger?.warn({ conversationId: payload.conversationId }, 'dialog idle timer without a dialog in this worker');
      return;
    }
    const jobs = await config.database.transaction((tx) => config.onSurveyExpired(tx, payload.complaintId, config.clock.now()));
    await config.enqueue(jobs);
  };
}

/**
 * Recreates the timers of every open clock (after a Redis loss, or a crash between a commit and its enqueue), a
 * page of clocks at a time. Job ids are deterministic, so a timer still waiting or delayed is not added twice; a
 * timer that already ran finds its point recorded. Returns how many jobs were enqueued.
 */
export async function reconcileTimers(
  database: Queryable,
  driver: QueueDriver,
  points: readonly number[],
  now: Date,
  options: { pageSize?: number } = {},
): Promise<number> {
  const pageSize = options.pageSize ?? 1_000;
  validPoints(points);
  // A timer that failed for good keeps its id, and adding that id again would be a no-op: release it first.
  await driver.retryFailed('timers');
  const fetchPage = (afterId?: string) => listOpenDeadlines(database, { limit: pageSize, ...(afterId === undefined ? {} : { afterId }) });
  let total = 0;
  let page = await fetchPage();
  while (page.length > 0) {
    const last = page.at(-1);
    // The next page is read while this one is enqueued.
    const next = last === undefined || page.length < pageSize ? Promise.resolve([]) : fetchPage(last.id);
    next.catch(() => undefined);
    const jobs = timerJobsFor(
      page.map((row) => ({ complaintId: row.complaintId, deadlineId: row.id, startsAt: row.startsAt, dueAt: row.dueAt, status: 'open', warnedPoints: row.warnedPoints })),
      points,
      now,
    );
    for (let start = 0; start < jobs.length; start += ENQUEUE_CHUNK) await enqueueFollowUps(driver, jobs.slice(start, start + ENQUEUE_CHUNK));
    total += jobs.length;
    page = await next;
  }
  return total;
}
