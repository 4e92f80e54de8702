import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import type { Queryable } from './database.js';
import { escalateForBreach, listOpenDeadlines, lockDeadline, markDeadlineBreached, markDeadlineWarned } from './deadlines.js';

const T0 = new Date('2026-03-02T02:00:00.000Z');
const DAY = 86_400_000;

interface SeedComplaint {
  stage?: string;
  urgency?: 'low' | 'medium' | 'high' | 'critical';
  team?: string | null;
  assignee?: string | null;
  record?: Record<string, unknown> | null;
}

const RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

async function seedComplaint(db: Queryable, options: SeedComplaint = {}): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `CMP-2026-${id.slice(0, 8)}`;
  const urgency = options.urgency ?? 'medium';
  await db.query(
    `INSERT INTO complaints (id, reference, stage, channel, received_at, team, assignee, urgency, urgency_rank, record)
     VALUES ($1, $2, $3, 'api', $4, $5, $6, $7, $8, $9)`,
    [id, reference, options.stage ?? 'triaged', T0, options.team === undefined ? 'cards' : options.team, options.assignee ?? null, urgency, RANK[urgency], options.record === undefined ? null : JSON.stringify(options.record)],
  );
  return { id, reference };
}

async function seedDeadline(db: Queryable, complaintId: string, options: { clock?: string; status?: string; dueAt?: Date; rule?: Record<string, unknown> } = {}): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO complaint_deadlines (id, complaint_id, regime, clock, starts_at, due_at, status, rule) VALUES ($1, $2, 'cn_nfra', $3, $4, $5, $6, $7)`,
    [id, complaintId, options.clock ?? 'final_response', T0, options.dueAt ?? new Date(T0.getTime() + 15 * DAY), options.status ?? 'open', JSON.stringify(options.rule ?? {})],
  );
  return id;
}

async function seedStaff(db: Queryable): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO staff (id, username, display_name, role, key_prefix, key_hash) VALUES ($1, $2, 'Ann', 'agent', $3, 'x')`, [id, `ann-${id}`, `p-${id}`]);
  return id;
}

describe.each(['pglite', 'postgres'] as const)('deadlines repository on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('pages through the open clocks only, in id order, every one exactly once', async () => {
    const db = test.database;
    const open: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      const complaint = await seedComplaint(db);
      open.push(await seedDeadline(db, complaint.id, { rule: { optional: index === 0 } }));
      if (index < 3) await seedDeadline(db, complaint.id, { clock: 'acknowledge', status: ['met', 'breached', 'paused'][index] ?? 'met' });
    }
    const seen: string[] = [];
    let afterId: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listOpenDeadlines(db, { limit: 3, ...(afterId === undefined ? {} : { afterId }) });
      pages += 1;
      seen.push(...page.map((row) => row.id));
      if (page.length < 3) break;
      afterId = page.at(-1)?.id;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...open].sort());
    const first = (await listOpenDeadlines(db, { limit: 100 })).find((row) => row.id === open[0]);
    expect(first).toMatchObject({ regime: 'cn_nfra', clock: 'final_response', startsAt: T0, dueAt: new Date(T0.getTime() + 15 * DAY), rule: { optional: true }, warnedPoints: [] });
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(listOpenDeadlines(test.database, { limit: 0 })).rejects.toThrow(RangeError);
    await expect(listOpenDeadlines(test.database, { limit: 1.5 })).rejects.toThrow(RangeError);
  });

  it('locks a clock with its complaint and answers null for an unknown one', async () => {
    const db = test.database;
    const staffId = await seedStaff(db);
    const complaint = await seedComplaint(db, { assignee: staffId, urgency: 'high', stage: 'investigating' });
    const deadlineId = await seedDeadline(db, complaint.id, { rule: { offset: 15 } });
    const locked = await db.transaction((tx) => lockDeadline(tx, deadlineId));
    expect(locked).toMatchObject({
      id: deadlineId,
      complaintId: complaint.id,
      status: 'open',
      breachedAt: null,
      rule: { offset: 15 },
      complaint: { id: complaint.id, reference: complaint.reference, stage: 'investigating', team: 'cards', assignee: staffId, urgency: 'high', urgencyRank: 2 },
    });
    expect(await db.transaction((tx) => lockDeadline(tx, randomUUID()))).toBeNull();
  });

  it('records a warning point once', async () => {
    const db = test.database;
    const complaint = await seedComplaint(db);
    const deadlineId = await seedDeadline(db, complaint.id);
    expect(await markDeadlineWarned(db, deadlineId, 'warn50')).toBe(true);
    expect(await markDeadlineWarned(db, deadlineId, 'warn50')).toBe(false);
    expect(await markDeadlineWarned(db, deadlineId, 'warn80')).toBe(true);
    expect(await markDeadlineWarned(db, randomUUID(), 'warn80')).toBe(false);
    const rows = await listOpenDeadlines(db, { limit: 10_000 });
    expect(rows.find((row) => row.id === deadlineId)?.warnedPoints).toEqual(['warn50', 'warn80']);
  });

  it('marks an open clock breached once, and never a met one', async () => {
    const db = test.database;
    const complaint = await seedComplaint(db);
    const open = await seedDeadline(db, complaint.id);
    const met = await seedDeadline(db, complaint.id, { clock: 'acknowledge', status: 'met' });
    const at = new Date(T0.getTime() + 16 * DAY);
    expect(await markDeadlineBreached(db, open, at)).toBe(true);
    expect(await markDeadlineBreached(db, open, at)).toBe(false);
    expect(await markDeadlineBreached(db, met, at)).toBe(false);
    const rows = await db.query<{ id: string; status: string; breached_at: Date | null }>('SELECT id, status, breached_at FROM complaint_deadlines WHERE complaint_id = $1 ORDER BY clock', [complaint.id]);
    expect(rows.rows.map((row) => [row.id, row.status, row.breached_at])).toEqual([
      [met, 'met', null],
      [open, 'breached', at],
    ]);
  });

  it('escalates an open complaint, remembers its stage and raises its urgency one level, record included', async () => {
    const db = test.database;
    const complaint = await seedComplaint(db, { stage: 'investigating', urgency: 'medium', record: { stage: 'investigating', urgency: { level: 'medium', score: 30, reasons: [] } } });
    const at = new Date(T0.getTime() + 16 * DAY);
    const change = await db.transaction((tx) => escalateForBreach(tx, complaint.id, at));
    expect(change).toEqual({ stage: { from: 'investigating', to: 'escalated' }, urgency: { from: 'medium', to: 'high' } });
    const row = await db.query(
      'SELECT stage, stage_before_escalation, escalated_at, urgency, urgency_rank, record FROM complaints WHERE id = $1',
      [complaint.id],
    );
    expect(row.rows[0]).toMatchObject({
      stage: 'escalated',
      stage_before_escalation: 'investigating',
      escalated_at: at,
      urgency: 'high',
      urgency_rank: 2,
      record: { stage: 'escalated', urgency: { level: 'high', score: 30 } },
    });

    // A second breach: already escalated, so only the urgency moves, and it stops at critical.
    expect(await db.transaction((tx) => escalateForBreach(tx, complaint.id, at))).toEqual({ stage: null, urgency: { from: 'high', to: 'critical' } });
    expect(await db.transaction((tx) => escalateForBreach(tx, complaint.id, at))).toEqual({ stage: null, urgency: null });
    const after = await db.query('SELECT stage, stage_before_escalation, urgency, urgency_rank FROM complaints WHERE id = $1', [complaint.id]);
    expect(after.rows[0]).toEqual({ stage: 'escalated', stage_before_escalation: 'investigating', urgency: 'critical', urgency_rank: 3 });
  });

  it('escalates a critical complaint without raising it, and leaves closed and responded complaints alone', async () => {
    const db = test.database;
    const at = new Date(T0.getTime() + 16 * DAY);
    const critical = await seedComplaint(db, { stage: 'registered', urgency: 'critical' });
    expect(await db.transaction((tx) => escalateForBreach(tx, critical.id, at))).toEqual({ stage: { from: 'registered', to: 'escalated' }, urgency: null });
    for (const stage of ['closed', 'responded']) {
      const complaint = await seedComplaint(db, { stage, urgency: 'low' });
      expect(await db.transaction((tx) => escalateForBreach(tx, complaint.id, at))).toEqual({ stage: null, urgency: null });
      const row = await db.query('SELECT stage, escalated_at, urgency, urgency_rank FROM complaints WHERE id = $1', [complaint.id]);
      expect(row.rows[0]).toEqual({ stage, escalated_at: null, urgency: 'low', urgency_rank: 0 });
    }
    expect(await db.transaction((tx) => escalateForBreach(tx, randomUUID(), at))).toEqual({ stage: null, urgency: null });
  });

  if (kind === 'postgres') {
    it('holds the complaint row locked (complaint first, then the clock) until the transaction ends', async () => {
      const db = test.database;
      const complaint = await seedComplaint(db);
      const deadlineId = await seedDeadline(db, complaint.id);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked: () => void = () => undefined;
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const transaction = db.transaction(async (tx) => {
        await lockDeadline(tx, deadlineId);
        locked();
        await held;
      });
      await lockTaken;
      await expect(db.query('SELECT id FROM complaints WHERE id = $1 FOR UPDATE NOWAIT', [complaint.id])).rejects.toThrow(/lock/);
      await expect(db.query('SELECT id FROM complaint_deadlines WHERE id = $1 FOR UPDATE NOWAIT', [deadlineId])).rejects.toThrow(/lock/);
      release();
      await transaction;
      const free = await db.query('SELECT id FROM complaints WHERE id = $1 FOR UPDATE NOWAIT', [complaint.id]);
      expect(free.rows).toHaveLength(1);
    });
  }
});
