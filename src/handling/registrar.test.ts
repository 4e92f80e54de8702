/**
 * Registration (registrar.ts) on PostgreSQL and PGlite, wired as main.ts wires it, on a fixed clock: for each regime
 * the clocks computed and stored with their rule, the complaint's due time (the earliest open clock that is not
 * optional), the acknowledgement queued on the customer's conversation with that due date, timers for open clocks
 * only, the team's (and the supervisors') notifications, the downstream `complaint.registered` delivery, the audit
 * trail; and a registration that fails leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { chainOf, classificationOf, createHandlingServices, receiveInbound, seedComplaint, snapshot, type HandlingServices } from '../../test/support/handling-fixtures.js';
import type { Regime } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import { insertWebhookSubscription, listEvents, lockInboundForProcessing, resolveCustomerContext, type Queryable } from '../store/index.js';
import { buildRecord } from '../intake/record-builder.js';
import { NoConversation } from './outbound.js';
import { ClockInputInvalid } from './calendars.js';

/** Monday 2 March 2026, 10:00 in Shanghai / Hong Kong, 02:00 in London, 13:00 in Sydney. */
const T0 = new Date('2026-03-02T02:00:00.000Z');

interface StoredClock {
  clock: string;
  regime: string;
  status: string;
  starts_at: Date;
  due_at: Date;
  met_at: Date | null;
  rule: Record<string, unknown>;
}

async function clocksOf(db: Queryable, complaintId: string): Promise<StoredClock[]> {
  const result = await db.query<StoredClock>(
    'SELECT clock, regime, status, starts_at, due_at, met_at, rule FROM complaint_deadlines WHERE complaint_id = $1 ORDER BY due_at, clock',
    [complaintId],
  );
  return result.rows;
}

async function complaintRow(db: Queryable, id: string) {
  const result = await db.query<{ stage: string; team: string; regime: string; due_at: Date | null; queued_at: Date | null; stage_due_at: Date | null; conversation_id: string }>(
    'SELECT stage, team, regime, due_at, queued_at, stage_due_at, conversation_id FROM complaints WHERE id = $1',
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no complaint ${id}`);
  return row;
}

async function outboundOf(db: Queryable, complaintId: string) {
  const result = await db.query<{ id: string; purpose: string; status: string; conversation_key: string; channel: string; text: string; locale: string }>(
    `SELECT id, purpose, status, conversation_key, channel, text, locale FROM messages WHERE complaint_id = $1 AND direction = 'outbound' ORDER BY sent_at, id`,
    [complaintId],
  );
  return result.rows;
}

async function notificationsOf(db: Queryable, complaintId: string) {
  const result = await db.query<{ kind: string; audience: string; data: Record<string, unknown> }>(
    'SELECT kind, audience, data FROM notifications WHERE complaint_id = $1 ORDER BY id',
    [complaintId],
  );
  return result.rows;
}

function timerClocks(jobs: readonly FollowUpJob[]): string[] {
  return jobs.flatMap((job) => (job.queue === 'timers' && job.payload.kind === 'deadline' ? [`${job.payload.deadlineId}:${job.payload.point}:${job.payload.dueAt}`] : []));
}

describe.each(['pglite', 'postgres'] as const)('registration on %s', (kind) => {
  let test: TestDatabase;
  const services = new Map<Regime, HandlingServices>();
  const servicesFor = (regime: Regime) => {
    let found = services.get(regime);
    if (!found) {
      found = createHandlingServices(test.database, { regime, at: T0 });
      services.set(regime, found);
    }
    return found;
  };

  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  async function deadlineIds(complaintId: string): Promise<Map<string, string>> {
    const result = await test.database.query<{ id: string; clock: string }>('SELECT id, clock FROM complaint_deadlines WHERE complaint_id = $1', [complaintId]);
    return new Map(result.rows.map((row) => [row.clock, row.id]));
  }

  it('cn_nfra: a 15-day final-response clock with its rule, the complaint due then, acknowledged on its conversation with that date', async () => {
    const cn = servicesFor('cn_nfra');
    const seeded = await seedComplaint(test.database, cn, { language: 'en', product: 'cards' });
    const due = new Date('2026-03-17T15:59:59.999Z'); // end of 17 March in Shanghai

    const clocks = await clocksOf(test.database, seeded.id);
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ clock: 'final_response', regime: 'cn_nfra', status: 'open', starts_at: T0, due_at: due, met_at: null });
    expect(clocks[0]?.rule).toMatchObject({
      clock: 'final_response',
      offset: 15,
      unit: 'calendarDay',
      calendar: 'CN',
      pausable: ['external_appraisal', 'awaiting_customer_information'],
      metBy: 'final_response',
    });
    expect((clocks[0]?.rule.extensions as { name: string }[]).map((extension) => extension.name)).toEqual(['complex', 'senior_approval']);

    const row = await complaintRow(test.database, seeded.id);
    expect(row).toMatchObject({ stage: 'registered', team: 'cards', regime: 'cn_nfra', due_at: due, queued_at: T0, conversation_id: seeded.conversationId });
    // The stage's own limit (24 h) comes before the regulatory clock.
    expect(row.stage_due_at).toEqual(new Date(T0.getTime() + 24 * 3_600_000));
    expect(seeded.record).toMatchObject({ stage: 'registered', team: 'cards', regime: 'cn_nfra', deadlines: [{ regime: 'cn_nfra', clock: 'final_response', dueAt: due.toISOString(), status: 'open' }] });

    const outbound = await outboundOf(test.database, seeded.id);
    expect(outbound).toHaveLength(1);
    expect(outbound[0]).toMatchObject({ purpose: 'acknowledgement', status: 'queued', channel: 'api', conversation_key: seeded.conversationKey, locale: 'en' });
    expect(outbound[0]?.text).toContain(seeded.reference);
    expect(outbound[0]?.text).toContain('2026-03-17');

    const ids = await deadlineIds(seeded.id);
    const finalId = ids.get('final_response') ?? '';
    expect(seeded.jobs.filter((job) => job.queue === 'outbound').map((job) => job.payload)).toEqual([{ outboundMessageId: outbound[0]?.id, attempt: 1 }]);
    expect(timerClocks(seeded.jobs)).toEqual([`${finalId}:warn50:${due.toISOString()}`, `${finalId}:warn80:${due.toISOString()}`, `${finalId}:due:${due.toISOString()}`]);
    // No webhook subscription yet: no delivery, no dispatch job.
    expect(seeded.jobs.filter((job) => job.queue === 'dispatch')).toEqual([]);
    expect((await test.database.query('SELECT 1 FROM webhook_deliveries WHERE complaint_id = $1', [seeded.id])).rows).toHaveLength(0);

    const notifications = await notificationsOf(test.database, seeded.id);
    expect(notifications.map((notification) => [notification.kind, notification.audience])).toEqual([['complaint.registered', 'team:cards']]);
    expect(notifications[0]?.data).toMatchObject({ reference: seeded.reference, team: 'cards', urgency: 'medium', dueAt: due.toISOString() });

    const events = await listEvents(test.database, seeded.id);
    expect(events.map((event) => event.type)).toEqual(['received', 'routed', 'registered', 'acknowledgement.sent']);
    expect(events.at(-1)?.data).toEqual({ messageId: outbound[0]?.id, dueAt: due.toISOString() });
    expect(await chainOf(test.database, seeded.id)).toMatchObject({ ok: true });
  });

  it('cn_nfra: a regulator-referred critical complaint adds the 12378 clock, tells the supervisors and the subscribed helpdesk', async () => {
    const cn = servicesFor('cn_nfra');
    const subscription = await insertWebhookSubscription(test.database, { id: randomUUID(), url: 'http://127.0.0.1:9/hooks', secret: 'whsec_test', events: ['complaint.registered'], at: T0 });
    try {
      const seeded = await seedComplaint(test.database, cn, { language: 'zh', product: 'loans', urgency: 'critical', flags: ['regulator_referred'], text: '12378转办：贷款被重复扣款，要求退款。' });
      const clocks = await clocksOf(test.database, seeded.id);
      // 15 working days on the Chinese calendar after Monday 2 March: Monday 23 March.
      const regulatorDue = new Date('2026-03-23T15:59:59.999Z');
      const finalDue = new Date('2026-03-17T15:59:59.999Z');
      expect(clocks.map((clock) => [clock.clock, clock.status, clock.due_at])).toEqual([
        ['final_response', 'open', finalDue],
        ['regulator_response', 'open', regulatorDue],
      ]);
      expect(clocks[1]?.rule).toMatchObject({ clock: 'regulator_response', offset: 15, unit: 'businessDay', calendar: 'CN', extensions: [], pausable: [] });
      expect((await complaintRow(test.database, seeded.id)).due_at).toEqual(finalDue);
      expect(timerClocks(seeded.jobs)).toHaveLength(6);

      const notifications = await notificationsOf(test.database, seeded.id);
      expect(notifications.map((notification) => [notification.kind, notification.audience])).toEqual([
        ['complaint.registered', 'team:lending'],
        ['complaint.critical', 'supervisors'],
      ]);
      const outbound = await outboundOf(test.database, seeded.id);
      expect(outbound[0]).toMatchObject({ purpose: 'acknowledgement', locale: 'zh' });
      expect(outbound[0]?.text).toContain('2026-03-17');

      const deliveries = await test.database.query<{ id: string; event_type: string; subscription_id: string; status: string; payload: { type: string; data: Record<string, unknown> } }>(
        'SELECT id, event_type, subscription_id, status, payload FROM webhook_deliveries WHERE complaint_id = $1',
        [seeded.id],
      );
      expect(deliveries.rows).toHaveLength(1);
      const delivery = deliveries.rows[0];
      expect(delivery).toMatchObject({ event_type: 'complaint.registered', subscription_id: subscription.id, status: 'queued' });
      expect(delivery?.payload.data).toMatchObject({ complaintId: seeded.id, reference: seeded.reference, stage: 'registered', team: 'lending', urgency: 'critical', dueAt: finalDue.toISOString() });
      expect(seeded.jobs.filter((job) => job.queue === 'dispatch').map((job) => job.payload)).toEqual([{ deliveryId: delivery?.id, attempt: 1 }]);
    } finally {
      await test.database.query('UPDATE webhook_subscriptions SET disabled_at = now() WHERE id = $1', [subscription.id]);
    }
  });

  it('uk_fca: the optional 3-business-day summary path and the 8-week clock; the complaint is due at the 8 weeks', async () => {
    const uk = servicesFor('uk_fca');
    const seeded = await seedComplaint(test.database, uk, { product: 'deposit_accounts' });
    const summaryDue = new Date('2026-03-05T23:59:59.999Z'); // Thursday, GMT
    const finalDue = new Date('2026-04-27T22:59:59.999Z'); // 8 weeks on, end of the day in BST
    const clocks = await clocksOf(test.database, seeded.id);
    expect(clocks.map((clock) => [clock.clock, clock.status, clock.due_at])).toEqual([
      ['summary_resolution', 'open', summaryDue],
      ['final_response', 'open', finalDue],
    ]);
    expect(clocks[0]?.rule).toMatchObject({ offset: 3, unit: 'businessDay', optional: true, calendar: 'GB-ENG' });
    expect(clocks[1]?.rule).toMatchObject({ offset: 8, unit: 'week', extensions: [], pausable: [] });
    const row = await complaintRow(test.database, seeded.id);
    expect(row).toMatchObject({ team: 'accounts', due_at: finalDue });
    const outbound = await outboundOf(test.database, seeded.id);
    expect(outbound[0]?.text).toContain('2026-04-27');
    // Both clocks run, so both get timers (the optional one only records that its path closed).
    expect(timerClocks(seeded.jobs)).toHaveLength(6);
    expect(await chainOf(test.database, seeded.id)).toMatchObject({ ok: true });
  });

  it('hk_hkma: the acknowledgement meets the 7-day clock at registration; only the 30-day clock runs and has timers', async () => {
    const hk = servicesFor('hk_hkma');
    const seeded = await seedComplaint(test.database, hk);
    const clocks = await clocksOf(test.database, seeded.id);
    const finalDue = new Date('2026-04-01T15:59:59.999Z'); // 30 days, end of the day in Hong Kong
    expect(clocks.map((clock) => [clock.clock, clock.status, clock.due_at, clock.met_at])).toEqual([
      ['acknowledge', 'met', new Date('2026-03-09T15:59:59.999Z'), T0],
      ['final_response', 'open', finalDue, null],
    ]);
    expect(clocks[0]?.rule).toMatchObject({ metBy: 'acknowledgement', offset: 7, calendar: 'HK' });
    expect((await complaintRow(test.database, seeded.id)).due_at).toEqual(finalDue);
    const ids = await deadlineIds(seeded.id);
    const timed = new Set(timerClocks(seeded.jobs).map((entry) => entry.split(':')[0]));
    expect([...timed]).toEqual([ids.get('final_response')]);
    expect(seeded.record.deadlines.map((deadline) => [deadline.clock, deadline.status])).toEqual([
      ['acknowledge', 'met'],
      ['final_response', 'open'],
    ]);
  });

  it('hk_hkma, on a channel Ombuds cannot write on: no acknowledgement queued, its clock stays open and due first, the team told', async () => {
    const mute = createHandlingServices(test.database, { regime: 'hk_hkma', at: T0, canReply: () => false });
    const seeded = await seedComplaint(test.database, mute);
    const clocks = await clocksOf(test.database, seeded.id);
    expect(clocks.map((clock) => [clock.clock, clock.status])).toEqual([
      ['acknowledge', 'open'],
      ['final_response', 'open'],
    ]);
    expect((await complaintRow(test.database, seeded.id)).due_at).toEqual(new Date('2026-03-09T15:59:59.999Z'));
    expect(await outboundOf(test.database, seeded.id)).toHaveLength(0);
    expect((await notificationsOf(test.database, seeded.id)).map((row) => row.kind)).toContain('acknowledgement.needed');
    const ids = await deadlineIds(seeded.id);
    expect(new Set(timerClocks(seeded.jobs).map((entry) => entry.split(':')[0]))).toEqual(new Set([ids.get('acknowledge'), ids.get('final_response')]));
  });

  it('au_asic: a vulnerable customer complaining about a loan gets the 21-day clock; others the 30-day one', async () => {
    const au = servicesFor('au_asic');
    const vulnerable = await seedComplaint(test.database, au, { product: 'loans', flags: ['vulnerable_customer'] });
    const clocks = await clocksOf(test.database, vulnerable.id);
    const due21 = new Date('2026-03-23T12:59:59.999Z'); // end of 23 March in Sydney (AEDT)
    expect(clocks.map((clock) => [clock.clock, clock.status, clock.due_at])).toEqual([
      ['acknowledge', 'met', new Date('2026-03-03T12:59:59.999Z')],
      ['final_response', 'open', due21],
    ]);
    expect(clocks[1]?.rule).toMatchObject({ offset: 21, unit: 'calendarDay', when: { flags: ['vulnerable_customer'] } });
    expect((await complaintRow(test.database, vulnerable.id)).due_at).toEqual(due21);

    const ordinary = await seedComplaint(test.database, au, { product: 'loans' });
    const ordinaryClocks = await clocksOf(test.database, ordinary.id);
    expect(ordinaryClocks.find((clock) => clock.clock === 'final_response')).toMatchObject({ due_at: new Date('2026-04-01T12:59:59.999Z') });
    expect(ordinaryClocks.find((clock) => clock.clock === 'final_response')?.rule.when).toBeUndefined();
  });

  /** Registers a stored inbound message with `services` in one transaction, after `before` ran in it. */
  async function registerStored(services: HandlingServices, stored: { messageId: string; shellComplaintId: string }, before?: (tx: Queryable) => Promise<void>) {
    return test.database.transaction(async (tx) => {
      const locked = await lockInboundForProcessing(tx, stored.messageId);
      if (!locked) throw new Error('no message');
      const context = await resolveCustomerContext(tx, { channel: 'api', address: `app:u-${randomUUID()}`, displayName: null, conversationKey: `app:k-${randomUUID()}`, complaintId: stored.shellComplaintId });
      await before?.(tx);
      const record = buildRecord({ complaintId: stored.shellComplaintId, reference: locked.reference, message: locked.message, customerId: context.customerId, classification: classificationOf({}) });
      return services.registrar.register(tx, { record, customerId: context.customerId, conversationId: context.conversationId, actor: 'system:intake', chainHead: locked.chainHead });
    });
  }

  const storeInbound = () =>
    receiveInbound(test.database, { conversationKey: `app:c-${randomUUID()}`, customerAddress: `app:u-${randomUUID()}`, text: 'charged twice', at: T0, timeZone: 'Asia/Shanghai' });

  it('registers nothing when the acknowledgement cannot be queued (no conversation): the transaction rolls back', async () => {
    const stored = await storeInbound();
    const before = await snapshot(test.database, stored.shellComplaintId);
    // The message is moved off the complaint inside the transaction: registration finds no conversation to answer on.
    const detach = async (tx: Queryable) => {
      await tx.query('UPDATE messages SET complaint_id = NULL WHERE id = $1', [stored.messageId]);
    };
    await expect(registerStored(servicesFor('cn_nfra'), stored, detach)).rejects.toBeInstanceOf(NoConversation);
    expect(await snapshot(test.database, stored.shellComplaintId)).toEqual(before);
    expect((await complaintRow(test.database, stored.shellComplaintId)).stage).toBe('intake');
    // The same message registers once the conversation is there.
    const registered = await registerStored(servicesFor('cn_nfra'), stored);
    expect(registered.record.stage).toBe('registered');
  });

  it('refuses a time zone it cannot count in, and writes nothing', async () => {
    const stored = await storeInbound();
    const before = await snapshot(test.database, stored.shellComplaintId);
    const broken = createHandlingServices(test.database, { regime: 'cn_nfra', at: T0, timeZone: 'Mars/Olympus_Mons' });
    await expect(registerStored(broken, stored)).rejects.toBeInstanceOf(ClockInputInvalid);
    expect(await snapshot(test.database, stored.shellComplaintId)).toEqual(before);
  });
});
