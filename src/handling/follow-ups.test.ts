/**
 * Follow-ups (follow-ups.ts) on PostgreSQL and PGlite, with complaints registered by the registrar and moved on by
 * the staff workflow, as main.ts wires them: a request for information (clocks paused where the regime allows it),
 * the customer's answer in the same conversation joining the complaint (and one elsewhere not), survey answers that
 * reopen or close, text that is not an answer, and the survey's expiry (before, after, twice).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import {
  addStaff,
  chainOf,
  createHandlingServices,
  followUpIn,
  seedComplaint,
  snapshot,
  type ComplaintSeed,
  type HandlingServices,
  type SeededComplaint,
} from '../../test/support/handling-fixtures.js';
import type { ComplaintAction, StaffMember } from '../contracts/index.js';
import type { FollowUpJob } from '../queue/index.js';
import { insertWebhookSubscription, listEvents, type Queryable } from '../store/index.js';
import type { FollowUpMessage } from './follow-ups.js';

/** Monday 2 March 2026, 10:00 in Shanghai, 02:00 in London. */
const T0 = new Date('2026-03-02T02:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CN_DUE = new Date('2026-03-17T15:59:59.999Z');
const UK_DUE = new Date('2026-04-27T22:59:59.999Z');

function timerDues(jobs: readonly FollowUpJob[]): [string, string][] {
  return jobs.flatMap((job): [string, string][] => (job.queue === 'timers' && job.payload.kind === 'deadline' ? [[job.payload.point, job.payload.dueAt]] : []));
}

describe.each(['pglite', 'postgres'] as const)('follow-ups on %s', (kind) => {
  let test: TestDatabase;
  let cn: HandlingServices;
  let uk: HandlingServices;
  let agent: StaffMember;
  let supervisor: StaffMember;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    cn = createHandlingServices(test.database, { regime: 'cn_nfra', at: T0 });
    uk = createHandlingServices(test.database, { regime: 'uk_fca', at: T0 });
    agent = await addStaff(test.database, 'agent', ['cards']);
    supervisor = await addStaff(test.database, 'supervisor');
  });
  afterAll(async () => {
    await test.drop();
  });
  beforeEach(() => {
    for (const services of [cn, uk]) {
      services.clock.set(T0);
      services.enqueued.length = 0;
    }
  });

  async function act(services: HandlingServices, complaint: SeededComplaint, staff: StaffMember, action: ComplaintAction) {
    return (await services.workflow.act({ complaint: complaint.reference, action, staff })).body;
  }

  const claim = (services: HandlingServices, message: FollowUpMessage) => test.database.transaction((tx) => services.followUps.claim(tx, message));
  const reply = (services: HandlingServices, complaint: SeededComplaint, text: string) => followUpIn(test.database, complaint, text, services.clock.now(), services.timeZone);

  async function complaintRow(id: string) {
    const result = await test.database.query<{ stage: string; merged_into: string | null; awaiting_information_since: Date | null; due_at: Date | null; closed_at: Date | null; queued_at: Date | null }>(
      'SELECT stage, merged_into, awaiting_information_since, due_at, closed_at, queued_at FROM complaints WHERE id = $1',
      [id],
    );
    return result.rows[0];
  }

  async function clocks(complaintId: string) {
    const result = await test.database.query<{ clock: string; status: string; due_at: Date; pause_reason: string | null }>(
      'SELECT clock, status, due_at, pause_reason FROM complaint_deadlines WHERE complaint_id = $1 ORDER BY clock',
      [complaintId],
    );
    return result.rows;
  }

  async function eventsOf(complaintId: string, type: string) {
    return (await listEvents(test.database, complaintId)).filter((event) => event.type === type);
  }

  async function outbound(db: Queryable, complaintId: string, purpose: string) {
    const result = await db.query<{ id: string; text: string }>(`SELECT id, text FROM messages WHERE complaint_id = $1 AND direction = 'outbound' AND purpose = $2 ORDER BY sent_at, id`, [complaintId, purpose]);
    return result.rows;
  }

  async function notifications(complaintId: string, kind: string) {
    const result = await test.database.query<{ audience: string; data: Record<string, unknown> }>('SELECT audience, data FROM notifications WHERE complaint_id = $1 AND kind = $2 ORDER BY id', [complaintId, kind]);
    return result.rows;
  }

  async function survey(complaintId: string) {
    const result = await test.database.query<{ score: number | null; resolved: boolean | null; comment: string | null; outcome: string | null; answered_at: Date | null; expires_at: Date }>(
      'SELECT score, resolved, comment, outcome, answered_at, expires_at FROM surveys WHERE complaint_id = $1',
      [complaintId],
    );
    return result.rows[0];
  }

  /** The customer's message joined the complaint: moved onto it, its intake shell merged and closed. */
  async function expectJoined(message: FollowUpMessage, complaint: SeededComplaint): Promise<void> {
    const moved = await test.database.query<{ complaint_id: string }>('SELECT complaint_id FROM messages WHERE id = $1', [message.messageId]);
    expect(moved.rows).toEqual([{ complaint_id: complaint.id }]);
    expect(await complaintRow(message.shellComplaintId)).toMatchObject({ stage: 'closed', merged_into: complaint.id, closed_at: message.at, queued_at: null });
  }

  /** The message was left to ordinary intake: still on its shell, which is untouched. */
  async function expectLeftAlone(message: FollowUpMessage): Promise<void> {
    const moved = await test.database.query<{ complaint_id: string }>('SELECT complaint_id FROM messages WHERE id = $1', [message.messageId]);
    expect(moved.rows).toEqual([{ complaint_id: message.shellComplaintId }]);
    expect(await complaintRow(message.shellComplaintId)).toMatchObject({ stage: 'intake', merged_into: null });
  }

  async function investigating(services: HandlingServices, options: ComplaintSeed = {}): Promise<SeededComplaint> {
    const complaint = await seedComplaint(test.database, services, options);
    await act(services, complaint, agent, { type: 'start_investigation' });
    return complaint;
  }

  /** A complaint answered with its final response (and so surveyed), owned by `agent` unless `unassigned`. */
  async function responded(services: HandlingServices, options: { unassigned?: boolean } = {}): Promise<SeededComplaint> {
    const complaint = await seedComplaint(test.database, services, { urgency: 'low' });
    if (options.unassigned) await act(services, complaint, supervisor, { type: 'escalate', reason: 'straight to resolution' });
    else await act(services, complaint, agent, { type: 'start_investigation' });
    await act(services, complaint, supervisor, { type: 'propose_resolution', summary: 'We refunded the duplicate charge.', upheld: true });
    await act(services, complaint, supervisor, { type: 'send_final_response' });
    expect(await survey(complaint.id)).toMatchObject({ outcome: null });
    return complaint;
  }

  describe('requests for information', () => {
    it('cn_nfra: the request pauses the clock; the answer in the same conversation joins the complaint and resumes it', async () => {
      const complaint = await investigating(cn);
      cn.clock.advance(DAY);
      const askedAt = cn.clock.now();
      const asked = await act(cn, complaint, agent, { type: 'request_information', question: 'Which card was charged, and on which date?' });
      expect(asked.deadlines).toMatchObject([{ clock: 'final_response', status: 'paused' }]);
      expect(asked.dueAt).toBeNull();
      const [request] = await outbound(test.database, complaint.id, 'information_request');
      expect(asked.outboundMessageIds).toEqual([request?.id]);
      expect(request?.text).toContain('Which card was charged, and on which date?');
      expect(await complaintRow(complaint.id)).toMatchObject({ awaiting_information_since: askedAt, due_at: null });
      expect(await clocks(complaint.id)).toMatchObject([{ status: 'paused', pause_reason: 'awaiting_customer_information', due_at: CN_DUE }]);
      expect((await eventsOf(complaint.id, 'information.requested'))[0]?.data).toEqual({ messageId: request?.id, question: 'Which card was charged, and on which date?', pausedClocks: ['final_response'] });

      // Another customer's message elsewhere is not the answer.
      const stranger = await seedComplaint(test.database, cn);
      const elsewhere = await reply(cn, stranger, 'It was my debit card.');
      const before = await snapshot(test.database, complaint.id);
      expect(await claim(cn, elsewhere)).toBeNull();
      expect(await snapshot(test.database, complaint.id)).toEqual(before);
      await expectLeftAlone(elsewhere);

      const waited = 2 * DAY + 3 * HOUR + 41_000;
      cn.clock.advance(waited);
      const answer = await reply(cn, complaint, 'The Visa card, on 28 February.');
      const claimed = await claim(cn, answer);
      const movedDue = new Date(CN_DUE.getTime() + waited);
      expect(claimed?.complaintId).toBe(complaint.id);
      expect(timerDues(claimed?.jobs ?? [])).toEqual([
        ['warn50', movedDue.toISOString()],
        ['warn80', movedDue.toISOString()],
        ['due', movedDue.toISOString()],
      ]);
      await expectJoined(answer, complaint);
      expect(await clocks(complaint.id)).toMatchObject([{ status: 'open', pause_reason: null, due_at: movedDue }]);
      expect(await complaintRow(complaint.id)).toMatchObject({ stage: 'investigating', awaiting_information_since: null, due_at: movedDue });
      const [received] = await eventsOf(complaint.id, 'information.received');
      expect(received?.actor).toBe('system:intake');
      expect(received?.data).toEqual({ messageId: answer.messageId, resumedClocks: [{ clock: 'final_response', dueAt: movedDue.toISOString() }] });
      expect(await notifications(complaint.id, 'information.received')).toEqual([{ audience: `staff:${agent.id}`, data: { reference: complaint.reference } }]);

      // The next message is no longer an answer to anything.
      const later = await reply(cn, complaint, 'Any news?');
      expect(await claim(cn, later)).toBeNull();
      await expectLeftAlone(later);
      expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
    });

    it('uk_fca: the request does not stop the clock, and the answer still joins the complaint', async () => {
      const complaint = await investigating(uk);
      const asked = await act(uk, complaint, agent, { type: 'request_information', question: 'Please send the statement.' });
      expect(asked.deadlines.map((deadline) => [deadline.clock, deadline.status])).toEqual([
        ['summary_resolution', 'open'],
        ['final_response', 'open'],
      ]);
      expect(asked.dueAt).toBe(UK_DUE.toISOString());
      expect((await eventsOf(complaint.id, 'information.requested'))[0]?.data).toMatchObject({ pausedClocks: [] });
      expect((await complaintRow(complaint.id))?.awaiting_information_since).toEqual(T0);

      uk.clock.advance(DAY);
      const answer = await reply(uk, complaint, 'Statement attached.');
      const claimed = await claim(uk, answer);
      expect(claimed).toEqual({ complaintId: complaint.id, jobs: [] });
      await expectJoined(answer, complaint);
      expect(await complaintRow(complaint.id)).toMatchObject({ awaiting_information_since: null, due_at: UK_DUE });
      expect((await eventsOf(complaint.id, 'information.received'))[0]?.data).toEqual({ messageId: answer.messageId, resumedClocks: [] });
      expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
    });
    it('the answer resumes only the clocks the request stopped, not a pause for an external appraisal', async () => {
      const complaint = await investigating(cn);
      await act(cn, complaint, agent, { type: 'pause_clock', reason: 'external_appraisal' });
      const asked = await act(cn, complaint, agent, { type: 'request_information', question: 'Did you sign the slip?' });
      expect(asked.deadlines).toMatchObject([{ status: 'paused' }]);
      cn.clock.advance(DAY);
      const answer = await reply(cn, complaint, 'No, I did not.');
      const claimed = await claim(cn, answer);
      expect(claimed).toEqual({ complaintId: complaint.id, jobs: [] });
      await expectJoined(answer, complaint);
      expect(await clocks(complaint.id)).toMatchObject([{ status: 'paused', pause_reason: 'external_appraisal', due_at: CN_DUE }]);
      expect(await complaintRow(complaint.id)).toMatchObject({ awaiting_information_since: null, due_at: null });
      expect((await eventsOf(complaint.id, 'information.received'))[0]?.data).toEqual({ messageId: answer.messageId, resumedClocks: [] });
      // Staff end the appraisal pause themselves.
      cn.clock.advance(DAY);
      const resumed = await act(cn, complaint, agent, { type: 'resume_clock' });
      expect(resumed.dueAt).toBe(new Date(CN_DUE.getTime() + 2 * DAY).toISOString());
      expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
    });
  });

  describe('surveys', () => {
    it('a low score reopens the complaint, calls back the owner and the supervisors, and tells the helpdesk', async () => {
      const subscription = await insertWebhookSubscription(test.database, { id: randomUUID(), url: 'http://127.0.0.1:9/hooks', secret: 'whsec_x', events: ['complaint.reopened'], at: T0 });
      try {
        const complaint = await responded(cn);
        cn.clock.advance(2 * DAY);
        const answer = await reply(cn, complaint, '1');
        const claimed = await claim(cn, answer);
        expect(claimed?.complaintId).toBe(complaint.id);
        await expectJoined(answer, complaint);
        expect(await complaintRow(complaint.id)).toMatchObject({ stage: 'reopened', closed_at: null });
        expect(await survey(complaint.id)).toMatchObject({ score: 1, resolved: null, comment: null, outcome: 'reopened', answered_at: answer.at });
        expect((await notifications(complaint.id, 'survey.callback')).map((row) => row.audience)).toEqual([`staff:${agent.id}`, 'supervisors']);
        const [thanks] = await outbound(test.database, complaint.id, 'survey_thanks');
        expect(thanks?.text).toContain('We are sorry the matter is not resolved for you');
        expect(thanks?.text).toContain(complaint.reference);
        expect((await eventsOf(complaint.id, 'survey.answered'))[0]?.data).toEqual({ messageId: answer.messageId, score: 1, resolved: null });
        expect((await eventsOf(complaint.id, 'stage.changed')).at(-1)?.data).toEqual({ from: 'responded', to: 'reopened', reason: 'survey: not satisfied' });
        const deliveries = await test.database.query<{ id: string; payload: { data: Record<string, unknown> } }>(`SELECT id, payload FROM webhook_deliveries WHERE complaint_id = $1 AND event_type = 'complaint.reopened'`, [complaint.id]);
        expect(deliveries.rows[0]?.payload.data).toMatchObject({ reason: 'survey', score: 1, stage: 'reopened' });
        expect(claimed?.jobs.filter((job) => job.queue === 'dispatch').map((job) => job.payload)).toEqual([{ deliveryId: deliveries.rows[0]?.id, attempt: 1 }]);
        expect(claimed?.jobs.filter((job) => job.queue === 'outbound').map((job) => job.payload)).toEqual([{ outboundMessageId: thanks?.id, attempt: 1 }]);
        // Answered: the survey takes no second answer.
        const second = await reply(cn, complaint, '5');
        expect(await claim(cn, second)).toBeNull();
        await expectLeftAlone(second);
        expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
      } finally {
        await test.database.query('UPDATE webhook_subscriptions SET disabled_at = now() WHERE id = $1', [subscription.id]);
      }
    });

    it('"not resolved" reopens an unassigned complaint, back in the queue, calling back its team', async () => {
      const complaint = await responded(cn, { unassigned: true });
      cn.clock.advance(HOUR);
      const answer = await reply(cn, complaint, 'Not resolved, the money is still missing');
      expect((await claim(cn, answer))?.complaintId).toBe(complaint.id);
      expect(await complaintRow(complaint.id)).toMatchObject({ stage: 'reopened', queued_at: answer.at });
      expect(await survey(complaint.id)).toMatchObject({ score: null, resolved: false, comment: 'Not resolved, the money is still missing', outcome: 'reopened' });
      expect((await notifications(complaint.id, 'survey.callback')).map((row) => row.audience)).toEqual(['team:cards', 'supervisors']);
      expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
    });

    it('a satisfied answer closes an unassigned complaint and takes it out of the work queue', async () => {
      const complaint = await responded(cn, { unassigned: true });
      expect((await complaintRow(complaint.id))?.queued_at).not.toBeNull();
      const answer = await reply(cn, complaint, '5');
      expect((await claim(cn, answer))?.complaintId).toBe(complaint.id);
      expect(await complaintRow(complaint.id)).toMatchObject({ stage: 'closed', queued_at: null });
    });

    it('a satisfied answer closes the complaint', async () => {
      const complaint = await responded(cn);
      const answer = await reply(cn, complaint, '4 out of 5, thanks');
      expect((await claim(cn, answer))?.complaintId).toBe(complaint.id);
      expect(await complaintRow(complaint.id)).toMatchObject({ stage: 'closed', closed_at: answer.at });
      expect(await survey(complaint.id)).toMatchObject({ score: 4, outcome: 'closed' });
      expect(await notifications(complaint.id, 'survey.callback')).toEqual([]);
      expect(await outbound(test.database, complaint.id, 'survey_thanks')).toHaveLength(1);
    });

    it('leaves text that is not an answer to ordinary intake, and an answer after the survey expired', async () => {
      const complaint = await responded(cn);
      const before = await snapshot(test.database, complaint.id);
      const newProblem = await reply(cn, complaint, 'my card was charged twice again');
      expect(await claim(cn, newProblem)).toBeNull();
      await expectLeftAlone(newProblem);
      expect(await snapshot(test.database, complaint.id)).toEqual(before);

      cn.clock.advance(168 * HOUR + 1);
      const late = await reply(cn, complaint, '5');
      expect(await claim(cn, late)).toBeNull();
      await expectLeftAlone(late);
      expect(await snapshot(test.database, complaint.id)).toEqual(before);
    });

    it('closes a responded complaint whose survey expired — not before, and only once', async () => {
      const complaint = await responded(cn);
      const expiresAt = (await survey(complaint.id))?.expires_at ?? new Date(Number.NaN);
      expect(expiresAt).toEqual(new Date(T0.getTime() + 168 * HOUR));
      const before = await snapshot(test.database, complaint.id);
      const early = await test.database.transaction((tx) => cn.followUps.surveyExpired(tx, complaint.id, new Date(expiresAt.getTime() - 1)));
      expect(early).toEqual([]);
      expect(await snapshot(test.database, complaint.id)).toEqual(before);

      const expired = await test.database.transaction((tx) => cn.followUps.surveyExpired(tx, complaint.id, expiresAt));
      expect(expired).toEqual([]);
      expect(await complaintRow(complaint.id)).toMatchObject({ stage: 'closed', closed_at: expiresAt, queued_at: null });
      expect(await survey(complaint.id)).toMatchObject({ outcome: 'expired', answered_at: null, score: null });
      expect((await eventsOf(complaint.id, 'survey.expired'))[0]?.actor).toBe('system:survey');
      expect((await eventsOf(complaint.id, 'stage.changed')).at(-1)?.data).toEqual({ from: 'responded', to: 'closed', reason: 'survey not answered in time' });

      const after = await snapshot(test.database, complaint.id);
      const again = await test.database.transaction((tx) => cn.followUps.surveyExpired(tx, complaint.id, new Date(expiresAt.getTime() + DAY)));
      expect(again).toEqual([]);
      expect(await snapshot(test.database, complaint.id)).toEqual(after);
      // A complaint without a survey: nothing to expire.
      const fresh = await seedComplaint(test.database, cn);
      const untouched = await snapshot(test.database, fresh.id);
      expect(await test.database.transaction((tx) => cn.followUps.surveyExpired(tx, fresh.id, expiresAt))).toEqual([]);
      expect(await snapshot(test.database, fresh.id)).toEqual(untouched);
      expect(await chainOf(test.database, complaint.id)).toMatchObject({ ok: true });
    });
  });
});
