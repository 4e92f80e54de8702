/**
 * End to end, on both configurations (embedded: PGlite + in-process queue; production: PostgreSQL + BullMQ on
 * Redis): a bank app posts real messages → each is stored, classified, routed and queued → staff see the queue
 * in urgency order and claim tickets → the complaint view shows record, messages and an intact audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ComplaintView, QueueResponse } from '../../src/contracts/index.js';
import { verifyChain } from '../../src/store/index.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';
import { readJsonFixture } from '../support/fixtures.js';

const FIXTURES = {
  doubleCharge: readJsonFixture('api/api-1-zh-card-double-charge.json'),
  blocked: readJsonFixture('api/api-2-en-account-blocked.json'),
  fraudNow: readJsonFixture('api/api-3-zh-fraud-in-progress.json'),
  appCrash: readJsonFixture('api/api-4-zh-app-crash.json'),
  moneyLeaving: readJsonFixture('api/api-5-en-money-leaving-now.json'),
};

describe.each(CONFIGURATIONS)('API channel end to end (%s)', (configuration) => {
  let harness: Harness;
  let supervisor: { id: string; key: string };
  let cardsAgent: { id: string; key: string };
  let accountsAgent: { id: string; key: string };
  const references = new Map<string, string>();

  beforeAll(async () => {
    harness = await startHarness(configuration);
    supervisor = await harness.addStaff('sam-supervisor', 'supervisor', []);
    cardsAgent = await harness.addStaff('ann-cards', 'agent', ['cards']);
    accountsAgent = await harness.addStaff('bo-accounts', 'agent', ['accounts', 'payments', 'digital']);
  });
  afterAll(async () => {
    await harness.close();
  });

  const post = (body: unknown) =>
    request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send(body as object);

  it('answers 202 with a message id and the complaint reference, after the commit', async () => {
    for (const [name, body] of Object.entries(FIXTURES)) {
      const response = await post(body);
      expect(response.status, name).toBe(202);
      expect(response.body).toMatchObject({ duplicate: false });
      expect(response.body.complaintReference).toMatch(/^CMP-\d{4}-\d{6}$/);
      const stored = await harness.ombuds.database.query<{ reference: string }>(
        'SELECT c.reference FROM messages m JOIN complaints c ON c.id = m.complaint_id WHERE m.id = $1',
        [response.body.messageId],
      );
      expect(stored.rows[0]?.reference).toBe(response.body.complaintReference);
      references.set(name, response.body.complaintReference as string);
    }
  });

  it('classifies, routes and queues every message for staff', async () => {
    await harness.waitForIdle();
    const response = await request(harness.ombuds.app).get('/v1/staff/queue').set('Authorization', `Bearer ${supervisor.key}`);
    expect(response.status).toBe(200);
    const queue = QueueResponse.parse(response.body);
    expect(queue.items).toHaveLength(5);
    const byReference = new Map(queue.items.map((item) => [item.reference, item]));

    const fraud = byReference.get(references.get('fraudNow') ?? '');
    expect(fraud?.urgency).toBe('critical');
    expect(fraud?.flags).toContain('fraud');
    expect(byReference.get(references.get('moneyLeaving') ?? '')?.urgency).toBe('critical');
    const blocked = byReference.get(references.get('blocked') ?? '');
    expect(blocked?.urgency).toBe('high');
    expect(blocked?.flags).toContain('funds_inaccessible');
    expect(blocked?.product).toBe('deposit_accounts');
    expect(blocked?.team).toBe('accounts');
    expect(byReference.get(references.get('doubleCharge') ?? '')?.flags).toContain('large_amount');
    expect(byReference.get(references.get('appCrash') ?? '')?.urgency).toBe('low');

    // Ordered by urgency, then earliest deadline.
    const ranks = queue.items.map((item) => ['low', 'medium', 'high', 'critical'].indexOf(item.urgency));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    for (const item of queue.items) {
      expect(item.stage).toBe('registered');
      expect(item.dueAt).not.toBeNull();
    }
  });

  it('shows the record, its messages and an intact hash-chained audit trail', async () => {
    const reference = references.get('fraudNow') ?? '';
    // This app registered no callback, so the acknowledgement cannot be delivered: it fails at once, visibly.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const outbound = await harness.ombuds.database.query<{ status: string }>(
        `SELECT m.status FROM messages m JOIN complaints c ON c.id = m.complaint_id WHERE c.reference = $1 AND m.direction = 'outbound'`,
        [reference],
      );
      if (outbound.rows[0]?.status === 'failed') break;
      if (Date.now() > deadline) throw new Error(`acknowledgement still ${outbound.rows[0]?.status ?? 'missing'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(response.status).toBe(200);
    const view = ComplaintView.parse(response.body);
    expect(view.record?.schemaVersion).toBe(1);
    expect(view.record?.customer.language).toBe('zh');
    // Contacts are shown masked (issue 8); POST …/contact/reveal shows them.
    expect(view.record?.customer.contacts).toContainEqual({ type: 'phone', value: '+86 138****8000' });
    expect(view.record?.urgency.reasons.join(' ')).toMatch(/fraud/);
    expect(view.record?.deadlines[0]).toMatchObject({ regime: 'cn_nfra', clock: 'final_response', status: 'open' });
    // The customer's message, and the acknowledgement (reference and due date) queued for their channel.
    expect(view.messages.map((message) => message.direction)).toEqual(['inbound', 'outbound']);
    expect(view.messages[1]?.text).toContain(reference);
    expect(view.events.map((event) => event.type)).toEqual(['received', 'classified', 'routed', 'registered', 'acknowledgement.sent', 'outbound.failed']);
    expect(view.events.at(-1)?.data).toMatchObject({ purpose: 'acknowledgement', reason: 'permanent', error: expect.stringContaining('no callback registered') as unknown });
    expect(view.state).toMatchObject({ stage: 'registered', reference, allowedActions: expect.arrayContaining(['triage', 'start_investigation', 'escalate']) as unknown });
    const chain = verifyChain(
      view.events.map((event) => ({ ...event, complaintId: view.id, at: new Date(event.createdAt) })),
    );
    expect(chain).toEqual({ ok: true, length: 6 });
  });

  it('answers a repeat with 200 and the same ids, and stores one record for 50 concurrent repeats', async () => {
    const again = await post(FIXTURES.appCrash);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, complaintReference: references.get('appCrash') });

    const body = { ...FIXTURES.doubleCharge, clientMessageId: 'concurrent-burst-1' };
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(49);
    expect(new Set(responses.map((response) => response.body.complaintReference as string)).size).toBe(1);
    const stored = await harness.ombuds.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE channel_message_id LIKE '%:concurrent-burst-1'`,
    );
    expect(stored.rows[0]?.n).toBe(1);
    await harness.waitForIdle();
    const complaints = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints`);
    expect(complaints.rows[0]?.n).toBe(6);
  });

  it('lets an agent see and claim only their own teams, most urgent first, never the same ticket twice', async () => {
    const cardsQueue = await request(harness.ombuds.app).get('/v1/staff/queue').set('Authorization', `Bearer ${cardsAgent.key}`);
    expect(cardsQueue.status).toBe(200);
    expect(QueueResponse.parse(cardsQueue.body).items.every((item) => item.team === 'cards')).toBe(true);

    const forbidden = await request(harness.ombuds.app).get('/v1/staff/queue?team=accounts').set('Authorization', `Bearer ${cardsAgent.key}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');

    const expected = QueueResponse.parse(
      (await request(harness.ombuds.app).get('/v1/staff/queue').set('Authorization', `Bearer ${supervisor.key}`)).body,
    ).items;
    // The first claim gets the head of the queue; then everyone claims at once until the queue is empty.
    const first = await request(harness.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${supervisor.key}`).send({});
    expect(first.status).toBe(200);
    expect(first.body.complaint.reference).toBe(expected[0]?.reference);
    expect(first.body.complaint.assignee).toBe(supervisor.id);
    const claimers = [supervisor, supervisor, cardsAgent, accountsAgent];
    const claimed: string[] = [first.body.complaint.reference as string];
    for (let round = 0; round < 4; round += 1) {
      const responses = await Promise.all(
        claimers.map((staff) => request(harness.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${staff.key}`).send({})),
      );
      for (const response of responses) {
        if (response.status === 200) claimed.push(response.body.complaint.reference as string);
        else expect(response.status).toBe(204);
      }
    }
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...claimed].sort()).toEqual(expected.map((item) => item.reference).sort());
    const empty = await request(harness.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${supervisor.key}`).send({});
    expect(empty.status).toBe(204);

    const view = await request(harness.ombuds.app).get(`/v1/complaints/${claimed[0] ?? ''}`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(ComplaintView.parse(view.body).events.at(-1)).toMatchObject({ type: 'claimed' });
  });

  it('hides other teams’ complaints from an agent (404, not 403)', async () => {
    const reference = references.get('blocked') ?? '';
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}`).set('Authorization', `Bearer ${cardsAgent.key}`);
    expect(response.status).toBe(404);
  });

  it('never writes message text, phone numbers, e-mail addresses or card numbers to the log', () => {
    const log = harness.logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain('13800138000');
    expect(log).not.toContain('student@example.org');
    expect(log).not.toContain('闪退');
    expect(log).not.toContain('Money is leaving');
  });
});
