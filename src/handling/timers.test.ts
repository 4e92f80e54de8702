import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/private-redis.js';
import { jobIds, type TimerJob } from '../contracts/index.js';
import { createBullmqDriver, createInProcessDriver, PermanentJobFailure, type FollowUpJob, type JobContext } from '../queue/index.js';
import { fixedClock } from '../shared/clock.js';
import { listEvents, type Queryable } from '../store/index.js';
import type { ComplaintEvent, EventDispatcher, StaffNotification } from './ports.js';
import { createTimerProcessor, reconcileTimers, timerJobsFor, type TimerObserver } from './timers.js';

const T0 = new Date('2026-03-02T02:00:00.000Z');
const DAY = 86_400_000;
const DUE = new Date(T0.getTime() + 10 * DAY);
const POINTS = [0.5, 0.8];
const CONTEXT: JobContext = { jobId: 'timer-test', attempt: 1, maxAttempts: 8 };
const RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

function pointOf(job: FollowUpJob): string {
  return job.queue === 'timers' && job.payload.kind === 'deadline' ? job.payload.point : '';
}

describe('timerJobsFor', () => {
  const complaintId = randomUUID();
  const deadlineId = randomUUID();
  const clock = { complaintId, deadlineId, startsAt: T0, dueAt: DUE, status: 'open' };

  it('sets a delayed job per warning point and one for due, with deterministic ids', () => {
    const jobs = timerJobsFor([clock], POINTS, T0);
    expect(jobs.map((job) => [job.queue, job.payload, job.options])).toEqual([
      ['timers', { kind: 'deadline', complaintId, deadlineId, point: 'warn50', dueAt: DUE.toISOString() }, { jobId: jobIds.timer(complaintId, deadlineId, 'warn50', DUE), delayMs: 5 * DAY }],
      ['timers', { kind: 'deadline', complaintId, deadlineId, point: 'warn80', dueAt: DUE.toISOString() }, { jobId: jobIds.timer(complaintId, deadlineId, 'warn80', DUE), delayMs: 8 * DAY }],
      ['timers', { kind: 'deadline', complaintId, deadlineId, point: 'due', dueAt: DUE.toISOString() }, { jobId: `timer-${complaintId}-${deadlineId}-due-${DUE.getTime()}`, delayMs: 10 * DAY }],
    ]);
  });

  it('fires a passed warning at once while the clock still runs, and only the breach once it is due', () => {
    const sixDays = timerJobsFor([clock], POINTS, new Date(T0.getTime() + 6 * DAY));
    expect(sixDays.map((job) => [pointOf(job), job.options.delayMs])).toEqual([
      ['warn50', 0],
      ['warn80', 2 * DAY],
      ['due', 4 * DAY],
    ]);
    const late = timerJobsFor([clock], POINTS, new Date(DUE.getTime() + 1));
    expect(late.map((job) => [pointOf(job), job.options.delayMs])).toEqual([['due', 0]]);
  });

  it('leaves out clocks that are not open and warning points already recorded', () => {
    expect(timerJobsFor([{ ...clock, status: 'paused' }, { ...clock, status: 'met' }, { ...clock, status: 'breached' }], POINTS, T0)).toEqual([]);
    const jobs = timerJobsFor([{ ...clock, warnedPoints: ['warn50'] }], POINTS, T0);
    expect(jobs.map(pointOf)).toEqual(['warn80', 'due']);
    expect(timerJobsFor([clock], [], T0).map(pointOf)).toEqual(['due']);
  });

  it('refuses warning points outside (0, 1)', () => {
    for (const bad of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => timerJobsFor([clock], [bad], T0)).toThrow(RangeError);
  });
});

interface Recorded {
  notifications: StaffNotification[];
  events: ComplaintEvent[];
  enqueued: FollowUpJob[][];
  warned: string[];
  breached: string[];
}

function recordingDispatcher(recorded: Recorded): EventDispatcher {
  return {
    emit(_tx, event) {
      recorded.events.push(event);
      const deliveryId = randomUUID();
      return Promise.resolve([{ queue: 'dispatch', payload: { deliveryId, attempt: 1 }, options: { jobId: jobIds.dispatch(deliveryId) } }]);
    },
    notify(_tx, notification) {
      recorded.notifications.push(notification);
      return Promise.resolve();
    },
  };
}

async function seedComplaint(db: Queryable, options: { stage?: string; urgency?: keyof typeof RANK; assignee?: string | null } = {}): Promise<string> {
  const id = randomUUID();
  const urgency = options.urgency ?? 'medium';
  await db.query(
    `INSERT INTO complaints (id, reference, stage, channel, received_at, team, assignee, urgency, urgency_rank) VALUES ($1, $2, $3, 'api', $4, 'cards', $5, $6, $7)`,
    [id, `CMP-2026-${id.slice(0, 8)}`, options.stage ?? 'triaged', T0, options.assignee ?? null, urgency, RANK[urgency]],
  );
  return id;
}

async function seedDeadline(db: Queryable, complaintId: string, options: { rule?: Record<string, unknown>; dueAt?: Date; status?: string } = {}): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at, status, rule) VALUES ($1, $2, 'uk_fca', 'final_response', $3, $4, $5, $6)`,
    [id, complaintId, T0, options.dueAt ?? DUE, options.status ?? 'open', JSON.stringify(options.rule ?? {})],
  );
  return id;
}

function timer(complaintId: string, deadlineId: string, point: string, dueAt = DUE): TimerJob {
  return { kind: 'deadline', complaintId, deadlineId, point, dueAt: dueAt.toISOString() };
}

describe.each(['pglite', 'postgres'] as const)('the timer processor on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  function setup(surveyJobs: FollowUpJob[] = []) {
    const recorded: Recorded = { notifications: [], events: [], enqueued: [], warned: [], breached: [] };
    const clock = fixedClock(T0);
    const surveys: { complaintId: string; at: Date }[] = [];
    const observer: TimerObserver = {
      warned: (point) => recorded.warned.push(point),
      breached: (regime, name) => recorded.breached.push(`${regime}/${name}`),
    };
    const processor = createTimerProcessor({
      database: test.database,
      clock,
      dispatcher: recordingDispatcher(recorded),
      warningPoints: POINTS,
      onSurveyExpired: async (tx, complaintId, at) => {
        await tx.query('SELECT 1');
        surveys.push({ complaintId, at });
        return surveyJobs;
      },
      enqueue: (jobs) => {
        recorded.enqueued.push([...jobs]);
        return Promise.resolve();
      },
      observer,
    });
    return { recorded, clock, processor, surveys };
  }

  async function deadlineRow(id: string) {
    const result = await test.database.query<{ status: string; warned_points: string[]; breached_at: Date | null }>(
      'SELECT status, warned_points, breached_at FROM complaint_deadlines WHERE id = $1',
      [id],
    );
    return result.rows[0];
  }

  async function complaintRow(id: string) {
    const result = await test.database.query<{ stage: string; urgency: string; urgency_rank: number; stage_before_escalation: string | null }>(
      'SELECT stage, urgency, urgency_rank, stage_before_escalation FROM complaints WHERE id = $1',
      [id],
    );
    return result.rows[0];
  }

  it('warns the team at each point and breaches at due, each once even when a job runs twice', async () => {
    const { recorded, clock, processor } = setup();
    const complaintId = await seedComplaint(test.database, { stage: 'investigating', urgency: 'medium' });
    const deadlineId = await seedDeadline(test.database, complaintId);

    clock.set(new Date(T0.getTime() + 5 * DAY + 1_000));
    await processor(timer(complaintId, deadlineId, 'warn50'), CONTEXT);
    await processor(timer(complaintId, deadlineId, 'warn50'), CONTEXT);
    expect(recorded.notifications.map((n) => [n.kind, n.audience])).toEqual([['deadline.warning', 'team:cards']]);
    expect(recorded.notifications[0]?.data).toMatchObject({ deadlineId, point: 'warn50', dueAt: DUE.toISOString(), regime: 'uk_fca', clock: 'final_response' });

    clock.set(new Date(T0.getTime() + 8 * DAY + 1_000));
    await processor(timer(complaintId, deadlineId, 'warn80'), CONTEXT);
    expect(recorded.notifications.slice(1).map((n) => [n.kind, n.audience])).toEqual([
      ['deadline.warning', 'team:cards'],
      ['deadline.warning', 'supervisors'],
    ]);
    expect((await deadlineRow(deadlineId))?.warned_points).toEqual(['warn50', 'warn80']);

    const breachAt = new Date(DUE.getTime() + 1_000);
    clock.set(breachAt);
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'breached', breached_at: breachAt });
    expect(await complaintRow(complaintId)).toEqual({ stage: 'escalated', urgency: 'high', urgency_rank: 2, stage_before_escalation: 'investigating' });
    expect(recorded.notifications.slice(3).map((n) => [n.kind, n.audience])).toEqual([['deadline.breached', 'supervisors']]);
    expect(recorded.events.map((event) => event.type)).toEqual(['complaint.breached', 'complaint.escalated']);
    expect(recorded.events[1]?.data).toMatchObject({ from: 'investigating', to: 'escalated', reason: 'deadline breached' });
    expect(recorded.enqueued).toHaveLength(1);
    expect(recorded.enqueued[0]?.map((job) => job.queue)).toEqual(['dispatch', 'dispatch']);
    expect(recorded.warned).toEqual(['warn50', 'warn80']);
    expect(recorded.breached).toEqual(['uk_fca/final_response']);

    const trail = await listEvents(test.database, complaintId);
    expect(trail.map((event) => [event.type, event.actor])).toEqual([
      ['deadline.warning', 'system:timers'],
      ['deadline.warning', 'system:timers'],
      ['deadline.breached', 'system:timers'],
      ['stage.changed', 'system:timers'],
      ['urgency.raised', 'system:timers'],
    ]);
    expect(trail[0]?.data).toEqual({ deadlineId, regime: 'uk_fca', clock: 'final_response', point: 'warn50', dueAt: DUE.toISOString() });
    expect(trail[3]?.data).toEqual({ from: 'investigating', to: 'escalated', reason: 'deadline breached' });
    expect(trail[4]?.data).toEqual({ from: 'medium', to: 'high' });

    // A warning arriving after the breach (a late job) changes nothing.
    await processor(timer(complaintId, deadlineId, 'warn80'), CONTEXT);
    expect(await listEvents(test.database, complaintId)).toHaveLength(5);
  });

  it('warns the assignee when there is one', async () => {
    const { recorded, clock, processor } = setup();
    const staffId = randomUUID();
    await test.database.query(`INSERT INTO staff (id, username, display_name, role, key_prefix, key_hash) VALUES ($1, $2, 'Ann', 'agent', $3, 'x')`, [staffId, `ann-${staffId}`, `p-${staffId}`]);
    const complaintId = await seedComplaint(test.database, { assignee: staffId });
    const deadlineId = await seedDeadline(test.database, complaintId);
    clock.set(new Date(T0.getTime() + 8 * DAY));
    await processor(timer(complaintId, deadlineId, 'warn80'), CONTEXT);
    expect(recorded.notifications.map((n) => n.audience)).toEqual([`staff:${staffId}`, 'supervisors']);
  });

  it('does nothing for a clock that moved, paused or was met; the new timers work', async () => {
    const { recorded, clock, processor } = setup();
    const complaintId = await seedComplaint(test.database);
    const deadlineId = await seedDeadline(test.database, complaintId);
    const extended = new Date(DUE.getTime() + 20 * DAY);
    await test.database.query('UPDATE complaint_deadlines SET due_at = $2 WHERE id = $1', [deadlineId, extended]);
    clock.set(new Date(DUE.getTime() + 1_000));
    await processor(timer(complaintId, deadlineId, 'warn80'), CONTEXT);
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'open', warned_points: [] });
    expect(await listEvents(test.database, complaintId)).toEqual([]);

    // The timers of the moved clock: warn50 of the 30-day clock is at day 15, so it fires now.
    clock.set(new Date(T0.getTime() + 15 * DAY + 1_000));
    await processor(timer(complaintId, deadlineId, 'warn50', extended), CONTEXT);
    expect((await deadlineRow(deadlineId))?.warned_points).toEqual(['warn50']);

    await test.database.query(`UPDATE complaint_deadlines SET status = 'paused' WHERE id = $1`, [deadlineId]);
    clock.set(new Date(extended.getTime() + 1_000));
    await processor(timer(complaintId, deadlineId, 'due', extended), CONTEXT);
    await test.database.query(`UPDATE complaint_deadlines SET status = 'met' WHERE id = $1`, [deadlineId]);
    await processor(timer(complaintId, deadlineId, 'due', extended), CONTEXT);
    expect((await deadlineRow(deadlineId))?.breached_at).toBeNull();
    expect(recorded.notifications).toHaveLength(1);
    expect(recorded.events).toEqual([]);
  });

  it('breaches an optional clock without escalating or telling anyone', async () => {
    const { recorded, clock, processor } = setup();
    const complaintId = await seedComplaint(test.database, { stage: 'triaged', urgency: 'low' });
    const deadlineId = await seedDeadline(test.database, complaintId, { rule: { clock: 'summary_resolution', optional: true } });
    clock.set(new Date(DUE.getTime() + 1));
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    expect((await deadlineRow(deadlineId))?.status).toBe('breached');
    expect(await complaintRow(complaintId)).toEqual({ stage: 'triaged', urgency: 'low', urgency_rank: 0, stage_before_escalation: null });
    const trail = await listEvents(test.database, complaintId);
    expect(trail.map((event) => event.type)).toEqual(['deadline.breached']);
    expect(trail[0]?.data).toMatchObject({ optional: true });
    expect(recorded.notifications).toEqual([]);
    expect(recorded.events).toEqual([]);
    expect(recorded.breached).toEqual([]);
  });

  it('records a breach on a closed complaint without escalating it', async () => {
    const { recorded, clock, processor } = setup();
    const complaintId = await seedComplaint(test.database, { stage: 'closed', urgency: 'low' });
    const deadlineId = await seedDeadline(test.database, complaintId);
    clock.set(new Date(DUE.getTime() + 1));
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    expect(await complaintRow(complaintId)).toEqual({ stage: 'closed', urgency: 'low', urgency_rank: 0, stage_before_escalation: null });
    expect((await listEvents(test.database, complaintId)).map((event) => event.type)).toEqual(['deadline.breached']);
    expect(recorded.events.map((event) => event.type)).toEqual(['complaint.breached']);
    expect(recorded.events[0]?.data).toMatchObject({ escalated: false, stage: 'closed' });
  });

  it('caps the urgency at critical and keeps an escalated complaint escalated', async () => {
    const { recorded, clock, processor } = setup();
    const complaintId = await seedComplaint(test.database, { stage: 'escalated', urgency: 'critical' });
    const deadlineId = await seedDeadline(test.database, complaintId);
    clock.set(new Date(DUE.getTime() + 1));
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    expect(await complaintRow(complaintId)).toMatchObject({ stage: 'escalated', urgency: 'critical', urgency_rank: 3 });
    expect((await listEvents(test.database, complaintId)).map((event) => event.type)).toEqual(['deadline.breached']);
    expect(recorded.events.map((event) => event.type)).toEqual(['complaint.breached']);
  });

  it('ignores a timer that fires before its time, and one for a clock that does not exist or belongs elsewhere', async () => {
    const { recorded, clock, processor } = setup();
    const complaintId = await seedComplaint(test.database);
    const deadlineId = await seedDeadline(test.database, complaintId);
    clock.set(new Date(T0.getTime() + 4 * DAY));
    await processor(timer(complaintId, deadlineId, 'warn50'), CONTEXT);
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    clock.set(new Date(DUE.getTime() + 1));
    await processor(timer(complaintId, randomUUID(), 'due'), CONTEXT);
    await processor(timer(randomUUID(), deadlineId, 'due'), CONTEXT);
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'open', warned_points: [] });
    expect(recorded.notifications).toEqual([]);
    expect(recorded.enqueued).toEqual([]);
  });

  it('fails a timer with an unknown point for good', async () => {
    const { processor } = setup();
    const complaintId = await seedComplaint(test.database);
    const deadlineId = await seedDeadline(test.database, complaintId);
    for (const point of ['warn', 'breach', 'warn0', 'warn250']) {
      await expect(processor(timer(complaintId, deadlineId, point), CONTEXT)).rejects.toThrow(PermanentJobFailure);
    }
    expect(() => createTimerProcessor({ ...setupConfigFor(), warningPoints: [1.2] })).toThrow(RangeError);

    function setupConfigFor() {
      return {
        database: test.database,
        clock: fixedClock(T0),
        dispatcher: recordingDispatcher({ notifications: [], events: [], enqueued: [], warned: [], breached: [] }),
        onSurveyExpired: () => Promise.resolve([]),
        enqueue: () => Promise.resolve(),
      };
    }
  });

  it('rolls back when the dispatcher fails, so the retried job records the breach once', async () => {
    const { clock } = setup();
    const complaintId = await seedComplaint(test.database);
    const deadlineId = await seedDeadline(test.database, complaintId);
    let failing = true;
    const recorded: Recorded = { notifications: [], events: [], enqueued: [], warned: [], breached: [] };
    const inner = recordingDispatcher(recorded);
    const processor = createTimerProcessor({
      database: test.database,
      clock,
      dispatcher: {
        emit: (tx, event) => (failing ? Promise.reject(new Error('webhook table unavailable')) : inner.emit(tx, event)),
        notify: (tx, notification) => inner.notify(tx, notification),
      },
      warningPoints: POINTS,
      onSurveyExpired: () => Promise.resolve([]),
      enqueue: (jobs) => {
        recorded.enqueued.push([...jobs]);
        return Promise.resolve();
      },
    });
    clock.set(new Date(DUE.getTime() + 1));
    await expect(processor(timer(complaintId, deadlineId, 'due'), CONTEXT)).rejects.toThrow('webhook table unavailable');
    expect(await deadlineRow(deadlineId)).toMatchObject({ status: 'open', breached_at: null });
    expect(await listEvents(test.database, complaintId)).toEqual([]);
    failing = false;
    await processor(timer(complaintId, deadlineId, 'due'), CONTEXT);
    expect((await deadlineRow(deadlineId))?.status).toBe('breached');
    expect((await listEvents(test.database, complaintId)).map((event) => event.type)).toEqual(['deadline.breached', 'stage.changed', 'urgency.raised']);
    expect(recorded.enqueued).toHaveLength(1);
  });

  it('hands an expired survey to onSurveyExpired and enqueues what it returns after the commit', async () => {
    const followUp: FollowUpJob = { queue: 'outbound', payload: { outboundMessageId: randomUUID(), attempt: 1 }, options: { jobId: 'outbound-x-1' } };
    const { recorded, processor, surveys } = setup([followUp]);
    const complaintId = randomUUID();
    await processor({ kind: 'survey_expiry', complaintId }, CONTEXT);
    expect(surveys).toEqual([{ complaintId, at: T0 }]);
    expect(recorded.enqueued).toEqual([[followUp]]);
  });

  it('runs the jobs of timerJobsFor through the in-process driver', async () => {
    const { recorded, processor } = setup();
    const complaintId = await seedComplaint(test.database, { urgency: 'low' });
    // A clock due at T0 (the fixed clock's time): its due timer runs at once, its warnings are left out.
    const deadlineId = await seedDeadline(test.database, complaintId, { dueAt: T0 });
    const driver = createInProcessDriver({ attempts: 2, backoffMs: 10, concurrency: 2 });
    try {
      const done = new Promise<void>((resolve) => {
        driver.process('timers', async (payload, context) => {
          await processor(payload, context);
          resolve();
        });
      });
      await driver.start();
      const jobs = timerJobsFor([{ complaintId, deadlineId, startsAt: new Date(T0.getTime() - DAY), dueAt: T0, status: 'open' }], POINTS, T0);
      expect(jobs).toHaveLength(1);
      await driver.enqueueMany('timers', jobs.map((job) => ({ payload: job.payload as TimerJob, options: job.options })));
      await done;
    } finally {
      await driver.close();
    }
    expect((await deadlineRow(deadlineId))?.status).toBe('breached');
    expect(recorded.breached).toEqual(['uk_fca/final_response']);
  });
});

describe('reconcileTimers with BullMQ after a Redis loss', () => {
  let test: TestDatabase;
  let redis: PrivateRedis;
  beforeAll(async () => {
    [test, redis] = await Promise.all([createTestDatabase('postgres'), startPrivateRedis()]);
  });
  afterAll(async () => {
    await redis.stop();
    await test.drop();
  });

  it('recreates every open clock\'s timers over several pages, and a second run adds nothing new', async () => {
    const db = test.database;
    const clocks = 2_300;
    const now = new Date(T0.getTime() + DAY);
    // Open clocks due in 10 days (three timers each), and a few that must be left out.
    await db.query(
      `WITH c AS (
         INSERT INTO complaints (id, reference, stage, channel, received_at)
         SELECT gen_random_uuid(), 'CMP-R-' || n, 'registered', 'api', $1 FROM generate_series(1, $2::int) AS n
         RETURNING id
       )
       INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at)
       SELECT gen_random_uuid(), id, 'cn_nfra', 'final_response', $1, $3 FROM c`,
      [T0, clocks, DUE],
    );
    const closedComplaint = await seedComplaint(db);
    await seedDeadline(db, closedComplaint, { status: 'met' });
    await seedDeadline(db, await seedComplaint(db), { status: 'paused' });
    const warned = await seedDeadline(db, await seedComplaint(db));
    await db.query(`UPDATE complaint_deadlines SET warned_points = '{warn50}' WHERE id = $1`, [warned]);
    const expected = clocks * 3 + 2;

    const driver = createBullmqDriver({ redisUrl: redis.url, prefix: 'timers-test', attempts: 3, backoffMs: 100, concurrency: 1, enqueueTimeoutMs: 10_000 });
    try {
      expect(await reconcileTimers(db, driver, POINTS, now, { pageSize: 1_000 })).toBe(expected);
      expect((await driver.counts('timers')).delayed).toBe(expected);

      await redis.flushAll();
      expect((await driver.counts('timers')).delayed).toBe(0);
      expect(await reconcileTimers(db, driver, POINTS, now, { pageSize: 1_000 })).toBe(expected);
      expect((await driver.counts('timers')).delayed).toBe(expected);

      // Again with the timers still there: the same ids, nothing new.
      expect(await reconcileTimers(db, driver, POINTS, now)).toBe(expected);
      const counts = await driver.counts('timers');
      expect(counts.delayed + counts.waiting).toBe(expected);
    } finally {
      await driver.close();
    }
  });

  it('fails with QUEUE_UNAVAILABLE when Redis cannot be reached, and refuses bad warning points', async () => {
    const unreachable = createBullmqDriver({ redisUrl: 'redis://127.0.0.1:1', prefix: 'timers-test', attempts: 1, backoffMs: 10, concurrency: 1, enqueueTimeoutMs: 300 });
    try {
      await expect(reconcileTimers(test.database, unreachable, POINTS, T0)).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      await expect(reconcileTimers(test.database, unreachable, [0.5, 2], T0)).rejects.toThrow(RangeError);
    } finally {
      await unreachable.close();
    }
  });
});
