/**
 * Queue hints from handling (decision 0014) on the real database: the timer processor publishes `warned` and
 * `breached` once each after its commit (a timer that fires again publishes nothing), a claim publishes `claimed`,
 * the intake wrapper tells `registered` from `updated` and publishes nothing for a failed job — and a broadcast that
 * refuses every hint never fails the work.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import type { JobContext } from '../queue/index.js';
import { fixedClock, systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { listEvents, type Queryable } from '../store/index.js';
import { createAssignment } from './assignment.js';
import { createQueueEvents, parseQueueHint, STAFF_QUEUE_TOPIC, withQueueEventsAfterIntake, type QueueHint } from './queue-events.js';
import { createTimerProcessor } from './timers.js';

const T0 = new Date('2026-03-02T02:00:00.000Z');
const DAY = 86_400_000;
const DUE = new Date(T0.getTime() + 10 * DAY);
const CONTEXT: JobContext = { jobId: 'queue-events-test', attempt: 1, maxAttempts: 8 };
const silentDispatcher = { emit: () => Promise.resolve([]), notify: () => Promise.resolve() };

/** A broadcast stand-in that keeps what was published (or refuses it). */
function recorder(options: { refuse?: boolean } = {}) {
  const hints: QueueHint[] = [];
  const events = createQueueEvents({
    publish: (topic, message) => {
      if (options.refuse) return Promise.reject(new Error('Redis is away'));
      expect(topic).toBe(STAFF_QUEUE_TOPIC);
      const hint = parseQueueHint(message);
      if (hint) hints.push(hint);
      return Promise.resolve();
    },
    logger: createLogger({ level: 'silent' }),
  });
  // Publishing is in the background: let it run.
  const settled = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return hints;
  };
  return { events, settled };
}

async function seedComplaint(db: Queryable, options: { assignee?: string | null; queuedAt?: Date | null } = {}): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `CMP-2026-${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  await db.query(
    `INSERT INTO complaints (id, reference, stage, channel, received_at, team, assignee, urgency, urgency_rank, queued_at) VALUES ($1, $2, 'registered', 'api', $3, 'cards', $4, 'medium', 1, $5)`,
    [id, reference, T0, options.assignee ?? null, options.queuedAt === undefined ? T0 : options.queuedAt],
  );
  return { id, reference };
}

async function seedDeadline(db: Queryable, complaintId: string): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at, status) VALUES ($1, $2, 'uk_fca', 'final_response', $3, $4, 'open')`, [
    id,
    complaintId,
    T0,
    DUE,
  ]);
  return id;
}

describe('queue hints from handling', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await test.drop();
  });

  function timers(events: ReturnType<typeof recorder>['events'], at: Date) {
    return createTimerProcessor({
      database: test.database,
      clock: fixedClock(at),
      dispatcher: silentDispatcher,
      warningPoints: [0.5, 0.8],
      onSurveyExpired: () => Promise.resolve([]),
      enqueue: () => Promise.resolve(),
      queueEvents: events,
    });
  }
  const timer = (complaintId: string, deadlineId: string, point: string) => ({ kind: 'deadline' as const, complaintId, deadlineId, point, dueAt: DUE.toISOString() });

  it('publishes a warning and a breach once each, after the timer recorded them', async () => {
    const { events, settled } = recorder();
    const complaint = await seedComplaint(test.database);
    const deadlineId = await seedDeadline(test.database, complaint.id);
    const warnAt = new Date(T0.getTime() + 8 * DAY + 1_000);
    await timers(events, warnAt)(timer(complaint.id, deadlineId, 'warn80'), CONTEXT);
    await timers(events, warnAt)(timer(complaint.id, deadlineId, 'warn80'), CONTEXT);
    const breachAt = new Date(DUE.getTime() + 1_000);
    await timers(events, breachAt)(timer(complaint.id, deadlineId, 'due'), CONTEXT);
    await timers(events, breachAt)(timer(complaint.id, deadlineId, 'due'), CONTEXT);
    expect(await settled()).toEqual([
      { complaintId: complaint.id, reference: complaint.reference, team: 'cards', assignee: null, reason: 'warned', at: warnAt.toISOString() },
      { complaintId: complaint.id, reference: complaint.reference, team: 'cards', assignee: null, reason: 'breached', at: breachAt.toISOString() },
    ]);
  });

  it('never fails the work when the broadcast refuses the hint', async () => {
    const { events, settled } = recorder({ refuse: true });
    const complaint = await seedComplaint(test.database);
    const deadlineId = await seedDeadline(test.database, complaint.id);
    await timers(events, new Date(DUE.getTime() + 1_000))(timer(complaint.id, deadlineId, 'due'), CONTEXT);
    expect(await settled()).toEqual([]);
    expect((await listEvents(test.database, complaint.id)).map((event) => event.type)).toContain('deadline.breached');
  });

  it('publishes `claimed` after a claim, with the new owner', async () => {
    const { events, settled } = recorder();
    const complaint = await seedComplaint(test.database);
    const staffId = randomUUID();
    await test.database.query(`INSERT INTO staff (id, username, display_name, role, teams, key_prefix, key_hash) VALUES ($1, $2, 'Agent', 'agent', '{cards}', $3, 'x')`, [
      staffId,
      `agent-${staffId}`,
      `prefix-${staffId}`,
    ]);
    const assignment = createAssignment({ database: test.database, clock: systemClock, queueEvents: events });
    // Claims until it has this test's complaint (earlier tests left other queued ones).
    let claimed = await assignment.claimNext({ staffId, teams: ['cards'] });
    while (claimed && claimed.id !== complaint.id) claimed = await assignment.claimNext({ staffId, teams: ['cards'] });
    const hints = await settled();
    expect(hints.at(-1)).toMatchObject({ complaintId: complaint.id, reference: complaint.reference, team: 'cards', assignee: staffId, reason: 'claimed' });
    expect(hints.every((hint) => hint.reason === 'claimed')).toBe(true);
  });

  it('after intake: `registered` for a complaint queued by the job, `updated` for one joined, nothing for a failed job', async () => {
    const { events, settled } = recorder();
    const fresh = await seedComplaint(test.database, { queuedAt: null });
    const older = await seedComplaint(test.database);
    const messageOf = async (complaintId: string) => {
      const id = randomUUID();
      await test.database.query(
        `INSERT INTO messages (id, direction, channel, channel_message_id, conversation_key, complaint_id, sender, text, reply_address, sent_at, received_at, status)
         VALUES ($1::uuid, 'inbound', 'api', $1::text, 'k', $2, '{"id":"c"}', 't', 'r', now(), now(), 'processed')`,
        [id, complaintId],
      );
      return id;
    };
    const registering = withQueueEventsAfterIntake(
      async () => {
        await test.database.query('UPDATE complaints SET queued_at = now() WHERE id = $1', [fresh.id]);
      },
      { database: test.database, events, clock: systemClock },
    );
    const joining = withQueueEventsAfterIntake(() => Promise.resolve(), { database: test.database, events, clock: systemClock });
    const failing = withQueueEventsAfterIntake(() => Promise.reject(new Error('classifier down')), { database: test.database, events, clock: systemClock });
    await registering({ messageId: await messageOf(fresh.id) }, CONTEXT);
    await joining({ messageId: await messageOf(older.id) }, CONTEXT);
    await expect(failing({ messageId: await messageOf(older.id) }, CONTEXT)).rejects.toThrow('classifier down');
    expect((await settled()).map((hint) => [hint.reference, hint.reason])).toEqual([
      [fresh.reference, 'registered'],
      [older.reference, 'updated'],
    ]);
  });
});
