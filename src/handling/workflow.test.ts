/**
 * The staff workflow (workflow.ts) on PostgreSQL and PGlite, wired as main.ts wires it, on a fixed clock, with
 * complaints registered by the registrar: visibility and roles, assignment, the clock actions (extend, pause,
 * resume) under each regime's rules, manual escalation, resolutions that need no approval, closing an inquiry
 * early. Every refused action writes nothing (complaint row, audit events, clocks, messages, notifications,
 * deliveries unchanged; no job enqueued) and every accepted one leaves the audit chain intact.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import {
  addStaff,
  chainOf,
  createHandlingServices,
  seedComplaint,
  snapshot,
  type ComplaintSeed,
  type HandlingServices,
  type SeededComplaint,
} from '../../test/support/handling-fixtures.js';
import type { ActionResult, ComplaintAction, ComplaintActionType, StaffMember } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import { insertWebhookSubscription, listEvents, listWorkQueue, type Queryable } from '../store/index.js';
import { ACTION_TYPES } from './stages.js';

/** Monday 2 March 2026, 10:00 in Shanghai, 02:00 in London. */
const T0 = new Date('2026-03-02T02:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** cn_nfra final response: 15, 30 (complex) and 60 (senior approval) days after 2 March, end of day in Shanghai. */
const CN_DUE = new Date('2026-03-17T15:59:59.999Z');
const CN_COMPLEX = new Date('2026-04-01T15:59:59.999Z');
const CN_SENIOR = new Date('2026-05-01T15:59:59.999Z');

/** A valid body for every action type. */
function sampleAction(type: ComplaintActionType, assignee: string): ComplaintAction {
  const samples: { [T in ComplaintActionType]: Extract<ComplaintAction, { type: T }> } = {
    triage: { type: 'triage', urgency: 'high' },
    assign: { type: 'assign', assignee },
    start_investigation: { type: 'start_investigation' },
    add_note: { type: 'add_note', text: 'looked at it' },
    reply: { type: 'reply', message: 'We are looking into it.' },
    request_information: { type: 'request_information', question: 'Which card?' },
    propose_resolution: { type: 'propose_resolution', summary: 'refund', upheld: true },
    approve_resolution: { type: 'approve_resolution' },
    reject_resolution: { type: 'reject_resolution', reason: 'no' },
    send_final_response: { type: 'send_final_response' },
    close: { type: 'close' },
    reopen: { type: 'reopen', reason: 'again' },
    escalate: { type: 'escalate', reason: 'angry customer' },
    extend_deadline: { type: 'extend_deadline', clock: 'final_response', extension: 'complex', reason: 'needs the merchant' },
    pause_clock: { type: 'pause_clock', reason: 'external_appraisal' },
    resume_clock: { type: 'resume_clock' },
    record_acknowledgement: { type: 'record_acknowledgement', method: 'phone' },
  };
  return samples[type];
}

function timerDues(jobs: readonly FollowUpJob[]): { point: string; dueAt: string; delayMs: number | undefined }[] {
  return jobs.flatMap((job) => (job.queue === 'timers' && job.payload.kind === 'deadline' ? [{ point: job.payload.point, dueAt: job.payload.dueAt, delayMs: job.options.delayMs }] : []));
}

async function outboundOf(db: Queryable, complaintId: string, purpose: string) {
  const result = await db.query<{ id: string; text: string; status: string; conversation_key: string }>(
    `SELECT id, text, status, conversation_key FROM messages WHERE complaint_id = $1 AND direction = 'outbound' AND purpose = $2 ORDER BY sent_at, id`,
    [complaintId, purpose],
  );
  return result.rows;
}

describe.each(['pglite', 'postgres'] as const)('the staff workflow on %s', (kind) => {
  let test: TestDatabase;
  let cn: HandlingServices;
  let uk: HandlingServices;
  let ukPsd: HandlingServices;
  let cardsAgent: StaffMember;
  let otherCardsAgent: StaffMember;
  let lendingAgent: StaffMember;
  let disabledCardsAgent: StaffMember;
  let supervisor: StaffMember;
  let admin: StaffMember;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    cn = createHandlingServices(test.database, { regime: 'cn_nfra', at: T0 });
    uk = createHandlingServices(test.database, { regime: 'uk_fca', at: T0 });
    ukPsd = createHandlingServices(test.database, { regime: 'uk_fca_psd', at: T0 });
    cardsAgent = await addStaff(test.database, 'agent', ['cards']);
    otherCardsAgent = await addStaff(test.database, 'agent', ['cards']);
    lendingAgent = await addStaff(test.database, 'agent', ['lending']);
    disabledCardsAgent = await addStaff(test.database, 'agent', ['cards'], { disabled: true });
    supervisor = await addStaff(test.database, 'supervisor');
    admin = await addStaff(test.database, 'admin');
  });
  afterAll(async () => {
    await test.drop();
  });
  beforeEach(() => {
    for (const services of [cn, uk, ukPsd]) {
      services.clock.set(T0);
      services.enqueued.length = 0;
    }
  });

  const seed = (services: HandlingServices, options: ComplaintSeed = {}) => seedComplaint(test.database, services, options);

  async function act(services: HandlingServices, complaint: SeededComplaint, staff: StaffMember, action: ComplaintAction): Promise<ActionResult> {
    const outcome = await services.workflow.act({ complaint: complaint.reference, action, staff });
    expect(outcome).toMatchObject({ status: 200, replayed: false });
    return outcome.body;
  }

  /** The action is refused with `code` (and `httpStatus`), and nothing is written or enqueued. */
  async function refused(services: HandlingServices, complaint: SeededComplaint, staff: StaffMember, action: ComplaintAction, code: string, httpStatus: number): Promise<void> {
    const before = await snapshot(test.database, complaint.id);
    const jobs = services.enqueued.length;
    await expect(services.workflow.act({ complaint: complaint.reference, action, staff })).rejects.toMatchObject({ code, httpStatus });
    expect(await snapshot(test.database, complaint.id)).toEqual(before);
    expect(services.enqueued.length).toBe(jobs);
  }

  async function eventsOf(complaintId: string, type: string) {
    return (await listEvents(test.database, complaintId)).filter((event) => event.type === type);
  }

  async function expectChainIntact(complaint: SeededComplaint): Promise<void> {
    expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
  }

  async function investigating(services: HandlingServices, options: ComplaintSeed = {}): Promise<SeededComplaint> {
    const complaint = await seed(services, options);
    await act(services, complaint, cardsAgent, { type: 'start_investigation' });
    return complaint;
  }

  describe('visibility and roles', () => {
    it('hides a complaint from an agent of another team: every action is NOT_FOUND and writes nothing', async () => {
      const complaint = await seed(cn);
      for (const type of ACTION_TYPES) await refused(cn, complaint, lendingAgent, sampleAction(type, lendingAgent.id), 'NOT_FOUND', 404);
      expect(await cn.workflow.describe(complaint.reference, lendingAgent)).toBeNull();
      expect(await cn.workflow.describe(complaint.reference, cardsAgent)).toMatchObject({ reference: complaint.reference, stage: 'registered' });
      // Unknown and malformed ids are the same answer.
      await expect(cn.workflow.act({ complaint: randomUUID(), action: { type: 'add_note', text: 'x' }, staff: supervisor })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(cn.workflow.act({ complaint: 'not-an-id', action: { type: 'add_note', text: 'x' }, staff: supervisor })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expectChainIntact(complaint);
    });

    it('lets an agent take a complaint but not hand it to someone else; the assignee must be active and in the team', async () => {
      const complaint = await seed(cn);
      await refused(cn, complaint, cardsAgent, { type: 'assign', assignee: otherCardsAgent.id }, 'FORBIDDEN', 403);
      await refused(cn, complaint, supervisor, { type: 'assign', assignee: lendingAgent.id }, 'ASSIGNEE_INVALID', 422);
      await refused(cn, complaint, supervisor, { type: 'assign', assignee: disabledCardsAgent.id }, 'ASSIGNEE_INVALID', 422);
      await refused(cn, complaint, supervisor, { type: 'assign', assignee: randomUUID() }, 'ASSIGNEE_INVALID', 422);

      const own = await act(cn, complaint, cardsAgent, { type: 'assign', assignee: cardsAgent.id });
      expect(own.assignee).toBe(cardsAgent.id);
      const handed = await act(cn, complaint, supervisor, { type: 'assign', assignee: otherCardsAgent.id });
      expect(handed.assignee).toBe(otherCardsAgent.id);
      const assigned = await eventsOf(complaint.id, 'assigned');
      expect(assigned.map((event) => event.data)).toEqual([
        { from: null, to: cardsAgent.id },
        { from: cardsAgent.id, to: otherCardsAgent.id },
      ]);
      const notified = await test.database.query<{ audience: string }>(`SELECT audience FROM notifications WHERE complaint_id = $1 AND kind = 'complaint.assigned'`, [complaint.id]);
      expect(notified.rows).toEqual([{ audience: `staff:${otherCardsAgent.id}` }]);
      // A supervisor may own it without being in a team.
      expect((await act(cn, complaint, supervisor, { type: 'assign', assignee: supervisor.id })).assignee).toBe(supervisor.id);
      await expectChainIntact(complaint);
    });

    it('refuses the supervisors’ actions to agents: approving, rejecting, an extension that needs a supervisor', async () => {
      const complaint = await investigating(cn, { urgency: 'high' });
      const proposed = await act(cn, complaint, cardsAgent, { type: 'propose_resolution', summary: 'refund the duplicate', upheld: true });
      expect(proposed.resolution).toMatchObject({ status: 'proposed', requiresApproval: true });
      await refused(cn, complaint, otherCardsAgent, { type: 'approve_resolution' }, 'FORBIDDEN', 403);
      await refused(cn, complaint, otherCardsAgent, { type: 'reject_resolution', reason: 'no' }, 'FORBIDDEN', 403);
      await refused(cn, complaint, cardsAgent, sampleAction('extend_deadline', cardsAgent.id), 'FORBIDDEN', 403);
      await expectChainIntact(complaint);
    });
  });

  describe('clocks', () => {
    it('cn_nfra complex: a supervisor extends the final response to 30 days, the customer is told, timers move', async () => {
      const complaint = await investigating(cn);
      cn.clock.advance(2 * DAY);
      const at = cn.clock.now();
      cn.enqueued.length = 0;
      const result = await act(cn, complaint, supervisor, { type: 'extend_deadline', clock: 'final_response', extension: 'complex', reason: 'we need the merchant’s records' });
      expect(result.deadlines).toMatchObject([{ clock: 'final_response', dueAt: CN_COMPLEX.toISOString(), status: 'open', extension: 'complex' }]);
      expect(result.dueAt).toBe(CN_COMPLEX.toISOString());
      expect(result.outboundMessageIds).toHaveLength(1);

      const stored = await test.database.query<{ due_at: Date; original_due_at: Date; extension: string }>('SELECT due_at, original_due_at, extension FROM complaint_deadlines WHERE complaint_id = $1', [complaint.id]);
      expect(stored.rows).toEqual([{ due_at: CN_COMPLEX, original_due_at: CN_DUE, extension: 'complex' }]);
      const notices = await outboundOf(test.database, complaint.id, 'extension_notice');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ id: result.outboundMessageIds[0], status: 'queued', conversation_key: complaint.conversationKey });
      expect(notices[0]?.text).toContain('2026-04-01');
      expect(notices[0]?.text).toContain('we need the merchant’s records');
      expect(notices[0]?.text).toContain('12378');

      const [extended] = await eventsOf(complaint.id, 'deadline.extended');
      expect(extended?.actor).toBe(`staff:${supervisor.id}`);
      expect(extended?.data).toMatchObject({
        clock: 'final_response',
        extension: 'complex',
        from: CN_DUE.toISOString(),
        to: CN_COMPLEX.toISOString(),
        approver: supervisor.id,
        reason: 'we need the merchant’s records',
        customerNotifiedAt: at.toISOString(),
      });
      expect(cn.enqueued.filter((job) => job.queue === 'outbound').map((job) => job.payload)).toEqual([{ outboundMessageId: notices[0]?.id, attempt: 1 }]);
      // New timers at the new due time (the warning points' arithmetic is timers.test.ts's).
      expect(timerDues(cn.enqueued).map((timer) => [timer.point, timer.dueAt])).toEqual([
        ['warn50', CN_COMPLEX.toISOString()],
        ['warn80', CN_COMPLEX.toISOString()],
        ['due', CN_COMPLEX.toISOString()],
      ]);
      expect(timerDues(cn.enqueued).at(-1)?.delayMs).toBe(CN_COMPLEX.getTime() - at.getTime());

      // Senior approval: an admin only; the supervisor's attempt changes nothing.
      await refused(cn, complaint, supervisor, { type: 'extend_deadline', clock: 'final_response', extension: 'senior_approval', reason: 'especially complex' }, 'FORBIDDEN', 403);
      const senior = await act(cn, complaint, admin, { type: 'extend_deadline', clock: 'final_response', extension: 'senior_approval', reason: 'especially complex' });
      expect(senior.deadlines).toMatchObject([{ dueAt: CN_SENIOR.toISOString(), extension: 'senior_approval' }]);
      expect(senior.dueAt).toBe(CN_SENIOR.toISOString());
      expect((await eventsOf(complaint.id, 'deadline.extended')).at(-1)?.data).toMatchObject({ from: CN_COMPLEX.toISOString(), to: CN_SENIOR.toISOString(), approver: admin.id });
      expect(await outboundOf(test.database, complaint.id, 'extension_notice')).toHaveLength(2);
      const original = await test.database.query<{ original_due_at: Date }>('SELECT original_due_at FROM complaint_deadlines WHERE complaint_id = $1', [complaint.id]);
      expect(original.rows[0]?.original_due_at).toEqual(CN_DUE);

      // An extension that would not move the clock later, one the regime lacks, a clock the complaint lacks.
      await refused(cn, complaint, admin, { type: 'extend_deadline', clock: 'final_response', extension: 'complex', reason: 'again' }, 'EXTENSION_NOT_ALLOWED', 409);
      await refused(cn, complaint, admin, { type: 'extend_deadline', clock: 'final_response', extension: 'holding_reply', reason: 'x' }, 'EXTENSION_NOT_ALLOWED', 409);
      await refused(cn, complaint, admin, { type: 'extend_deadline', clock: 'regulator_response', extension: 'complex', reason: 'x' }, 'CLOCK_NOT_FOUND', 409);
      await expectChainIntact(complaint);
    });

    it('uk_fca has no extension (409, nothing changed); uk_fca_psd answers `holding_reply` with a holding reply and 35 business days', async () => {
      const ukComplaint = await investigating(uk, { product: 'cards' });
      await refused(uk, ukComplaint, supervisor, { type: 'extend_deadline', clock: 'final_response', extension: 'holding_reply', reason: 'exceptional' }, 'EXTENSION_NOT_ALLOWED', 409);
      await refused(uk, ukComplaint, supervisor, { type: 'extend_deadline', clock: 'summary_resolution', extension: 'complex', reason: 'x' }, 'EXTENSION_NOT_ALLOWED', 409);

      const psd = await investigating(ukPsd, { product: 'cards' });
      const before = await test.database.query<{ due_at: Date }>(`SELECT due_at FROM complaint_deadlines WHERE complaint_id = $1 AND clock = 'final_response'`, [psd.id]);
      expect(before.rows[0]?.due_at).toEqual(new Date('2026-03-23T23:59:59.999Z')); // 15 business days, GMT
      const result = await act(ukPsd, psd, supervisor, { type: 'extend_deadline', clock: 'final_response', extension: 'holding_reply', reason: 'the card scheme has not answered' });
      // 35 business days on the England calendar (Good Friday and Easter Monday are not), end of day in BST.
      const holdingDue = new Date('2026-04-22T22:59:59.999Z');
      expect(result.deadlines.find((deadline) => deadline.clock === 'final_response')).toMatchObject({ dueAt: holdingDue.toISOString(), extension: 'holding_reply' });
      expect(result.dueAt).toBe(holdingDue.toISOString());
      const replies = await outboundOf(test.database, psd.id, 'holding_reply');
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toContain('2026-04-22');
      expect(replies[0]?.text).toContain('Financial Ombudsman Service');
      expect(await outboundOf(test.database, psd.id, 'extension_notice')).toHaveLength(0);
      expect((await eventsOf(psd.id, 'deadline.extended'))[0]?.data).toMatchObject({ extension: 'holding_reply', approver: supervisor.id, customerNotifiedAt: T0.toISOString() });
      await expectChainIntact(psd);
      await expectChainIntact(ukComplaint);
    });

    it('cn_nfra pauses for an external appraisal, tells the customer, and resumes with the due time moved by exactly the pause', async () => {
      const complaint = await investigating(cn);
      cn.clock.advance(3 * DAY);
      const pausedAt = cn.clock.now();
      cn.enqueued.length = 0;
      const paused = await act(cn, complaint, cardsAgent, { type: 'pause_clock', reason: 'external_appraisal', note: 'the card is with the scheme for testing' });
      expect(paused.deadlines).toMatchObject([{ clock: 'final_response', status: 'paused', dueAt: CN_DUE.toISOString() }]);
      expect(paused.dueAt).toBeNull();
      const notices = await outboundOf(test.database, complaint.id, 'pause_notice');
      expect(notices).toHaveLength(1);
      expect(notices[0]?.text).toContain('the card is with the scheme for testing');
      expect(paused.outboundMessageIds).toEqual([notices[0]?.id]);
      expect((await eventsOf(complaint.id, 'clock.paused'))[0]?.data).toEqual({ reason: 'external_appraisal', clocks: ['final_response'], customerNotifiedAt: pausedAt.toISOString() });
      expect(timerDues(cn.enqueued)).toEqual([]);
      // Nothing more to pause.
      await refused(cn, complaint, cardsAgent, { type: 'pause_clock', reason: 'external_appraisal' }, 'PAUSE_NOT_ALLOWED', 409);

      const pausedFor = 4 * DAY + 5 * HOUR + 17_000;
      cn.clock.advance(pausedFor);
      const resumedAt = cn.clock.now();
      const movedDue = new Date(CN_DUE.getTime() + pausedFor);
      const resumed = await act(cn, complaint, cardsAgent, { type: 'resume_clock' });
      expect(resumed.deadlines).toMatchObject([{ clock: 'final_response', status: 'open', dueAt: movedDue.toISOString() }]);
      expect(resumed.dueAt).toBe(movedDue.toISOString());
      const stored = await test.database.query<{ paused_ms: string; paused_at: Date | null; pause_reason: string | null }>('SELECT paused_ms, paused_at, pause_reason FROM complaint_deadlines WHERE complaint_id = $1', [complaint.id]);
      expect(stored.rows.map((row) => ({ ...row, paused_ms: Number(row.paused_ms) }))).toEqual([{ paused_ms: pausedFor, paused_at: null, pause_reason: null }]);
      expect((await eventsOf(complaint.id, 'clock.resumed'))[0]?.data).toEqual({ clocks: [{ clock: 'final_response', dueAt: movedDue.toISOString() }] });
      expect(timerDues(cn.enqueued).map((timer) => [timer.point, timer.dueAt])).toEqual([
        ['warn50', movedDue.toISOString()],
        ['warn80', movedDue.toISOString()],
        ['due', movedDue.toISOString()],
      ]);
      expect(timerDues(cn.enqueued).at(-1)?.delayMs).toBe(movedDue.getTime() - resumedAt.getTime());

      await refused(cn, complaint, cardsAgent, { type: 'resume_clock' }, 'NOTHING_PAUSED', 409);
      // An extension after the pause keeps the time paused: 30 days from receipt plus the pause.
      const extended = await act(cn, complaint, supervisor, { type: 'extend_deadline', clock: 'final_response', extension: 'complex', reason: 'appraisal findings need review' });
      expect(extended.dueAt).toBe(new Date(CN_COMPLEX.getTime() + pausedFor).toISOString());
      await expectChainIntact(complaint);
    });

    it('a pause stops only the clocks whose rule allows it: the complaint is then due at the next running clock', async () => {
      const complaint = await investigating(cn, { flags: ['regulator_referred'], urgency: 'high' });
      const paused = await act(cn, complaint, supervisor, { type: 'pause_clock', reason: 'external_appraisal' });
      expect(paused.deadlines.map((deadline) => [deadline.clock, deadline.status])).toEqual([
        ['final_response', 'paused'],
        ['regulator_response', 'open'],
      ]);
      expect(paused.dueAt).toBe(new Date('2026-03-23T15:59:59.999Z').toISOString());
      await expectChainIntact(complaint);
    });

    it('uk_fca clocks do not pause: 409 PAUSE_NOT_ALLOWED and nothing changed', async () => {
      const complaint = await investigating(uk);
      await refused(uk, complaint, supervisor, { type: 'pause_clock', reason: 'external_appraisal' }, 'PAUSE_NOT_ALLOWED', 409);
      await refused(uk, complaint, supervisor, { type: 'pause_clock', reason: 'awaiting_customer_information' }, 'PAUSE_NOT_ALLOWED', 409);
      await refused(uk, complaint, supervisor, { type: 'resume_clock' }, 'NOTHING_PAUSED', 409);
    });
  });

  describe('an acknowledgement given another way', () => {
    it('meets the acknowledgement clock Ombuds could not meet (no channel to write on), once, and says how', async () => {
      // HKMA: acknowledge within 7 days; the customer came on a channel Ombuds cannot write on.
      const hk = createHandlingServices(test.database, { regime: 'hk_hkma', at: T0, canReply: () => false });
      const complaint = await seed(hk);
      const before = await act(hk, complaint, cardsAgent, { type: 'add_note', text: 'Customer called back; reference given on the phone.' });
      const acknowledge = before.deadlines.find((deadline) => deadline.clock === 'acknowledge');
      expect(acknowledge?.status).toBe('open');
      expect(before.dueAt).toBe(acknowledge?.dueAt);
      expect(before.allowedActions).toContain('record_acknowledgement');

      hk.clock.set(new Date(T0.getTime() + 2 * 86_400_000));
      const after = await act(hk, complaint, cardsAgent, { type: 'record_acknowledgement', method: 'phone', note: 'Reference read out to the customer.' });
      expect(after.deadlines.find((deadline) => deadline.clock === 'acknowledge')?.status).toBe('met');
      // The complaint is now due when its final response is.
      expect(after.dueAt).toBe(after.deadlines.find((deadline) => deadline.clock === 'final_response')?.dueAt);
      const [event] = await eventsOf(complaint.id, 'acknowledgement.recorded');
      expect(event?.data).toEqual({ method: 'phone', clocks: ['acknowledge'], note: 'Reference read out to the customer.' });
      expect(event?.actor).toBe(`staff:${cardsAgent.id}`);

      // Nothing left to acknowledge: refused, nothing written.
      await refused(hk, complaint, cardsAgent, { type: 'record_acknowledgement', method: 'letter' }, 'NOTHING_TO_ACKNOWLEDGE', 409);
      await expectChainIntact(complaint);
    });

    it('is refused where the regime has no acknowledgement clock', async () => {
      const complaint = await seed(cn);
      await refused(cn, complaint, cardsAgent, { type: 'record_acknowledgement', method: 'in_person' }, 'NOTHING_TO_ACKNOWLEDGE', 409);
    });
  });

  describe('stages', () => {
    it('escalates by hand, tells the supervisors and the helpdesk, and goes back to investigating', async () => {
      const subscription = await insertWebhookSubscription(test.database, { id: randomUUID(), url: 'http://127.0.0.1:9/hooks', secret: 'whsec_x', events: ['complaint.escalated'], at: T0 });
      try {
        const complaint = await investigating(cn);
        cn.enqueued.length = 0;
        const escalated = await act(cn, complaint, cardsAgent, { type: 'escalate', reason: 'customer threatens to go to the press' });
        expect(escalated.stage).toBe('escalated');
        const row = await test.database.query<{ stage_before_escalation: string; escalated_at: Date }>('SELECT stage_before_escalation, escalated_at FROM complaints WHERE id = $1', [complaint.id]);
        expect(row.rows[0]).toEqual({ stage_before_escalation: 'investigating', escalated_at: T0 });
        const notified = await test.database.query<{ audience: string; data: Record<string, unknown> }>(`SELECT audience, data FROM notifications WHERE complaint_id = $1 AND kind = 'complaint.escalated'`, [complaint.id]);
        expect(notified.rows).toEqual([{ audience: 'supervisors', data: { reference: complaint.reference, reason: 'customer threatens to go to the press' } }]);
        const deliveries = await test.database.query<{ id: string; payload: { data: Record<string, unknown> } }>(`SELECT id, payload FROM webhook_deliveries WHERE complaint_id = $1 AND event_type = 'complaint.escalated'`, [complaint.id]);
        expect(deliveries.rows).toHaveLength(1);
        expect(deliveries.rows[0]?.payload.data).toMatchObject({ reference: complaint.reference, stage: 'escalated', reason: 'customer threatens to go to the press' });
        expect(cn.enqueued.map((job) => job.payload)).toEqual([{ deliveryId: deliveries.rows[0]?.id, attempt: 1 }]);
        await refused(cn, complaint, cardsAgent, { type: 'escalate', reason: 'twice' }, 'ILLEGAL_TRANSITION', 409);

        const back = await act(cn, complaint, cardsAgent, { type: 'start_investigation' });
        expect(back.stage).toBe('investigating');
        const cleared = await test.database.query<{ stage_before_escalation: string | null }>('SELECT stage_before_escalation FROM complaints WHERE id = $1', [complaint.id]);
        expect(cleared.rows[0]?.stage_before_escalation).toBeNull();
        expect((await eventsOf(complaint.id, 'stage.changed')).map((event) => event.data)).toEqual([
          { from: 'registered', to: 'investigating' },
          { from: 'investigating', to: 'escalated', reason: 'customer threatens to go to the press' },
          { from: 'escalated', to: 'investigating' },
        ]);
        await expectChainIntact(complaint);
      } finally {
        await test.database.query('UPDATE webhook_subscriptions SET disabled_at = now() WHERE id = $1', [subscription.id]);
      }
    });

    it('sends a low-urgency resolution with redress under the limit straight away; approving it is refused (nothing pending)', async () => {
      const complaint = await investigating(cn, { urgency: 'low' });
      const proposed = await act(cn, complaint, cardsAgent, { type: 'propose_resolution', summary: 'We refunded the duplicate charge.', upheld: true, redress: { value: 120, currency: 'CNY' } });
      expect(proposed.resolution).toMatchObject({ status: 'proposed', requiresApproval: false, redress: { value: 120, currency: 'CNY' } });
      expect(proposed.allowedActions).toContain('send_final_response');
      expect(proposed.allowedActions).not.toContain('approve_resolution');
      const awaiting = await test.database.query(`SELECT 1 FROM notifications WHERE complaint_id = $1 AND kind = 'resolution.awaiting_approval'`, [complaint.id]);
      expect(awaiting.rows).toHaveLength(0);
      await refused(cn, complaint, supervisor, { type: 'approve_resolution' }, 'ILLEGAL_TRANSITION', 409);
      await refused(cn, complaint, supervisor, { type: 'reject_resolution', reason: 'x' }, 'ILLEGAL_TRANSITION', 409);

      cn.clock.advance(DAY);
      const at = cn.clock.now();
      cn.enqueued.length = 0;
      const responded = await act(cn, complaint, cardsAgent, { type: 'send_final_response' });
      expect(responded.stage).toBe('responded');
      expect(responded.dueAt).toBeNull();
      expect(responded.deadlines.map((deadline) => deadline.status)).toEqual(['met']);
      const [final] = await outboundOf(test.database, complaint.id, 'final_response');
      expect(final?.text).toContain('We refunded the duplicate charge.');
      expect(final?.text).toContain('CNY 120.00');
      expect(final?.text).toContain('12378');
      const survey = await test.database.query<{ sent_at: Date; expires_at: Date; conversation_id: string; outcome: string | null }>('SELECT sent_at, expires_at, conversation_id, outcome FROM surveys WHERE complaint_id = $1', [complaint.id]);
      expect(survey.rows).toEqual([{ sent_at: at, expires_at: new Date(at.getTime() + 168 * HOUR), conversation_id: complaint.conversationId, outcome: null }]);
      const expiry = cn.enqueued.filter((job) => job.queue === 'timers' && job.payload.kind === 'survey_expiry');
      expect(expiry.map((job) => job.options.delayMs)).toEqual([168 * HOUR]);
      await expectChainIntact(complaint);
    });

    it('redress above the limit or high urgency needs approval', async () => {
      const complaint = await investigating(cn, { urgency: 'low' });
      const proposed = await act(cn, complaint, cardsAgent, { type: 'propose_resolution', summary: 'refund', upheld: true, redress: { value: 500.01, currency: 'CNY' } });
      expect(proposed.resolution?.requiresApproval).toBe(true);
      await refused(cn, complaint, cardsAgent, { type: 'send_final_response' }, 'ILLEGAL_TRANSITION', 409);
    });

    it('closes an inquiry before any response, but not a complaint', async () => {
      const inquiry = await seed(cn, { kind: 'inquiry' });
      const complaint = await seed(cn, { kind: 'complaint' });
      await refused(cn, complaint, cardsAgent, { type: 'close', reason: 'answered on the phone' }, 'ILLEGAL_TRANSITION', 409);
      const closed = await act(cn, inquiry, cardsAgent, { type: 'close', reason: 'answered on the phone' });
      expect(closed.stage).toBe('closed');
      expect(closed.allowedActions).toEqual(['reopen']);
      // Closed early, it owes nothing more: its clocks stop (no timer will breach a closed case) and it leaves the work queue.
      expect(closed.dueAt).toBeNull();
      expect(closed.deadlines.map((deadline) => deadline.status)).toEqual(['met']);
      expect((await eventsOf(inquiry.id, 'clocks.stopped'))[0]?.data).toEqual({ reason: 'closed', clocks: ['final_response'] });
      expect((await listWorkQueue(test.database, { teams: ['cards'], limit: 200 })).map((item) => item.id)).not.toContain(inquiry.id);
      expect((await listWorkQueue(test.database, { teams: ['cards'], limit: 200 })).map((item) => item.id)).toContain(complaint.id);
      await refused(cn, inquiry, cardsAgent, { type: 'add_note', text: 'late' }, 'COMPLAINT_CLOSED', 409);
      await expectChainIntact(inquiry);
    });

    it('answers a repeated Idempotency-Key from its store without acting again', async () => {
      const complaint = await seed(cn);
      const idempotency = { key: 'k-1', requestHash: 'hash-of-body' };
      const first = await cn.workflow.act({ complaint: complaint.reference, action: { type: 'triage', urgency: 'high' }, staff: cardsAgent, idempotency });
      const jobs = cn.enqueued.length;
      const before = await snapshot(test.database, complaint.id);
      const again = await cn.workflow.act({ complaint: complaint.reference, action: { type: 'triage', urgency: 'high' }, staff: cardsAgent, idempotency });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await snapshot(test.database, complaint.id)).toEqual(before);
      expect(cn.enqueued.length).toBe(jobs);
      await expect(cn.workflow.act({ complaint: complaint.reference, action: { type: 'add_note', text: 'x' }, staff: cardsAgent, idempotency: { key: 'k-1', requestHash: 'other' } })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        httpStatus: 422,
      });
      expect(await snapshot(test.database, complaint.id)).toEqual(before);
    });

    it('sends a staff reply to the customer on their channel, and records it', async () => {
      const complaint = await investigating(cn);
      const result = await act(cn, complaint, cardsAgent, { type: 'reply', message: 'We have asked the merchant for the receipt.' });
      expect(result.stage).toBe('investigating');
      const [row] = await outboundOf(test.database, complaint.id, 'reply');
      expect(row?.id).toBe(result.outboundMessageIds[0]);
      expect(row?.text).toContain('We have asked the merchant for the receipt.');
      expect(row?.text).toContain(complaint.reference);
      const events = await test.database.query<{ type: string }>(`SELECT type FROM complaint_events WHERE complaint_id = $1 AND type = 'reply.sent'`, [complaint.id]);
      expect(events.rows).toHaveLength(1);
      await expectChainIntact(complaint);
    });

    it('answers on a channel staff choose only if the customer wrote on it about this complaint', async () => {
      const complaint = await investigating(cn);
      const [channel] = (await test.database.query<{ channel: string }>(`SELECT channel FROM messages WHERE complaint_id = $1 AND direction = 'inbound' LIMIT 1`, [complaint.id])).rows;
      const chosen = await act(cn, complaint, cardsAgent, { type: 'reply', message: 'Answered where you wrote.', channel: channel?.channel ?? 'api' });
      expect(chosen.outboundMessageIds).toHaveLength(1);
      await expect(act(cn, complaint, cardsAgent, { type: 'reply', message: 'Hello on WeChat', channel: 'wechat' })).rejects.toMatchObject({ code: 'NO_CONVERSATION', httpStatus: 409 });
      const replies = await outboundOf(test.database, complaint.id, 'reply');
      expect(replies.map((row) => row.text).join('\n')).not.toContain('Hello on WeChat');
    });

    it('quotes in a request for information only a due date that still runs', async () => {
      // cn_nfra stops its clock while the customer answers: no date to promise. uk_fca's keeps running.
      const paused = await investigating(cn);
      await act(cn, paused, cardsAgent, { type: 'request_information', question: 'Which card was it?' });
      const [cnRequest] = await outboundOf(test.database, paused.id, 'information_request');
      expect(cnRequest?.text).toContain('Which card was it?');
      expect(cnRequest?.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      const running = await investigating(uk);
      const outcome = await act(uk, running, cardsAgent, { type: 'request_information', question: 'Which card was it?' });
      const [ukRequest] = await outboundOf(test.database, running.id, 'information_request');
      expect(ukRequest?.text).toContain((outcome.dueAt ?? 'missing').slice(0, 10));
    });

    it('keeps what it committed when the queue refuses the follow-up jobs (the reconcilers enqueue them later)', async () => {
      const down = createHandlingServices(test.database, { regime: 'cn_nfra', at: T0, failEnqueue: true });
      const complaint = await investigating(cn);
      const outcome = await down.workflow.act({ complaint: complaint.reference, action: { type: 'request_information', question: 'Which card was it?' }, staff: cardsAgent });
      expect(outcome.status).toBe(200);
      expect(outcome.body.outboundMessageIds).toHaveLength(1);
      const rows = await outboundOf(test.database, complaint.id, 'information_request');
      expect(rows.map((row) => [row.id, row.status])).toEqual([[outcome.body.outboundMessageIds[0], 'queued']]);
      await expectChainIntact(complaint);
    });
  });
});
