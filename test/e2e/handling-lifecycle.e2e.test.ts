/**
 * The whole handling lifecycle through the API channel, on both configurations (embedded: PGlite + in-process
 * queue; production: PostgreSQL + BullMQ on Redis): a bank app registers its callback and the helpdesk a webhook →
 * a customer's complaint is registered and acknowledged on the app's callback → staff claim, triage, investigate,
 * propose a resolution that needs four eyes, have it approved, send the final response → the customer answers the
 * survey through the app → the complaint closes. On the way: illegal transitions, wrong roles, approving one's own
 * proposal, a repeated Idempotency-Key and editing a closed complaint are refused with their codes and change
 * nothing; every callback and webhook is signed; the audit chain stays intact; the report counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ActionResult, ComplaintView } from '../../src/contracts/index.js';
import { verifyBodySignature } from '../../src/shared/signing.js';
import { verifyChain } from '../../src/store/index.js';
import { reply, startFakeReceiver, type FakeReceiver, type ReceivedRequest } from '../support/fake-receiver.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const complaintBody = readJsonFixture('api/api-1-zh-card-double-charge.json') as { clientMessageId: string; sender: { id: string; name: string }; locale: string; text: string };

interface Callback {
  messageId: string;
  complaintReference: string;
  purpose: string;
  language: string;
  text: string;
  quickReplies: { label: string; value: string }[];
}

describe.each(CONFIGURATIONS)('handling lifecycle through the API channel (%s)', (configuration) => {
  let harness: Harness;
  let app: FakeReceiver;
  let helpdesk: FakeReceiver;
  let callbackSecret: string;
  let webhookSecret: string;
  let agent: { id: string; key: string };
  let supervisor: { id: string; key: string };
  let admin: { id: string; key: string };
  let reference: string;

  const act = (key: string, body: unknown, idempotencyKey?: string) => {
    const call = request(harness.ombuds.app).post(`/v1/complaints/${reference}/actions`).set('Authorization', `Bearer ${key}`);
    return (idempotencyKey ? call.set('Idempotency-Key', idempotencyKey) : call).send(body as object);
  };
  const view = async () => {
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(response.status).toBe(200);
    return ComplaintView.parse(response.body);
  };
  const callbacks = (purpose: string) => app.requests.map((received) => received.json as Callback).filter((message) => message.purpose === purpose);
  const waitForCallback = async (purpose: string) => {
    const deadline = Date.now() + 20_000;
    while (callbacks(purpose).length === 0) {
      if (Date.now() > deadline) throw new Error(`no ${purpose} callback`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return callbacks(purpose)[0] as Callback;
  };
  const webhookTypes = () => helpdesk.requests.map((received) => (received.json as { type: string }).type);
  const signed = (received: ReceivedRequest, secret: string) =>
    verifyBodySignature(secret, received.rawBody, received.headers['ombuds-signature'] as string | undefined, new Date());

  beforeAll(async () => {
    app = await startFakeReceiver();
    app.setFallback(reply.ok());
    helpdesk = await startFakeReceiver();
    helpdesk.setFallback(reply.ok());
    harness = await startHarness(configuration, { env: { APPROVAL_REDRESS_LIMIT: '500', TIMEZONE: 'Asia/Shanghai', REGIME: 'cn_nfra' } });
    agent = await harness.addStaff('ann-cards', 'agent', ['cards']);
    supervisor = await harness.addStaff('sam-supervisor', 'supervisor', []);
    admin = await harness.addStaff('ada-admin', 'admin', []);

    const callback = await request(harness.ombuds.app).put('/v1/callback').set('Authorization', `Bearer ${harness.appKey}`).send({ url: `${app.url}/ombuds` });
    expect(callback.status).toBe(200);
    callbackSecret = callback.body.signingSecret as string;
    const webhook = await request(harness.ombuds.app).post('/v1/webhooks').set('Authorization', `Bearer ${admin.key}`).send({ url: `${helpdesk.url}/hooks` });
    expect(webhook.status).toBe(201);
    webhookSecret = webhook.body.signingSecret as string;
  });
  afterAll(async () => {
    await harness.close();
    await app.close();
    await helpdesk.close();
  });

  it('registers the complaint and acknowledges it on the app callback, signed, with the reference and due date', async () => {
    const response = await request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send(complaintBody);
    expect(response.status).toBe(202);
    reference = response.body.complaintReference as string;
    await harness.waitForIdle();
    const acknowledgement = await waitForCallback('acknowledgement');
    expect(acknowledgement.complaintReference).toBe(reference);
    expect(acknowledgement.language).toBe('zh');
    expect(acknowledgement.text).toContain(reference);
    // cn_nfra: 15 calendar days from receipt, in Shanghai.
    const state = (await view()).state;
    const due = state?.dueAt ?? '';
    const dueDate = new Date(new Date(due).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(acknowledgement.text).toContain(dueDate);
    expect(state?.deadlines.map((deadline) => deadline.clock)).toContain('final_response');
    expect(signed(app.requests[0] as ReceivedRequest, callbackSecret)).toBe(true);
    await helpdesk.waitForRequests(1, 20_000);
    expect(webhookTypes()).toContain('complaint.registered');
  });

  it('takes the complaint through triage and investigation, refusing what the stage does not allow', async () => {
    const claim = await request(harness.ombuds.app).post('/v1/staff/queue/claim').set('Authorization', `Bearer ${agent.key}`).send({});
    expect(claim.status).toBe(200);
    expect(claim.body.complaint.reference).toBe(reference);

    const triaged = await act(agent.key, { type: 'triage', issue: 'transaction_problem', note: 'duplicate posting of an instalment' });
    expect(triaged.status).toBe(200);
    expect(ActionResult.parse(triaged.body).stage).toBe('triaged');

    const before = (await view()).events.length;
    const early = await act(agent.key, { type: 'send_final_response' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('ILLEGAL_TRANSITION');
    const details = (early.body as { error: { details: { path: string; message: string }[] } }).error.details;
    expect(details.map((detail) => detail.message)).toContain('start_investigation');
    expect((await view()).events.length).toBe(before);

    const investigating = await act(agent.key, { type: 'start_investigation' });
    expect(investigating.status).toBe(200);
    expect(investigating.body.stage).toBe('investigating');
    expect(investigating.body.assignee).toBe(agent.id);
  });

  it('answers a repeated Idempotency-Key with the first answer and refuses its reuse for another request', async () => {
    const first = await act(agent.key, { type: 'add_note', text: 'called the merchant' }, 'note-1');
    const again = await act(agent.key, { type: 'add_note', text: 'called the merchant' }, 'note-1');
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const reused = await act(agent.key, { type: 'add_note', text: 'something else' }, 'note-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const notes = (await view()).events.filter((event) => event.type === 'note.added');
    expect(notes).toHaveLength(1);
  });

  it('needs a supervisor other than the proposer to approve redress above the limit', async () => {
    const proposed = await act(agent.key, { type: 'propose_resolution', summary: '重复入账已冲正', upheld: true, redress: { value: 600, currency: 'CNY' } });
    expect(proposed.status).toBe(200);
    expect(proposed.body.resolution).toMatchObject({ status: 'proposed', requiresApproval: true });

    const unapproved = await act(agent.key, { type: 'send_final_response' });
    expect(unapproved.status).toBe(409);
    const byAgent = await act(agent.key, { type: 'approve_resolution' });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('FORBIDDEN');

    const rejected = await act(supervisor.key, { type: 'reject_resolution', reason: 'state the refund date' });
    expect(rejected.body.stage).toBe('investigating');
    const again = await act(supervisor.key, { type: 'propose_resolution', summary: '重复入账已于12月1日冲正', upheld: true, redress: { value: 600, currency: 'CNY' } });
    expect(again.status).toBe(200);
    const own = await act(supervisor.key, { type: 'approve_resolution' });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('FOUR_EYES_REQUIRED');
    expect((await view()).state?.resolution?.status).toBe('proposed');

    const approved = await act(admin.key, { type: 'approve_resolution', comment: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body.resolution).toMatchObject({ status: 'approved', decidedBy: admin.id });
    expect(approved.body.allowedActions).toContain('send_final_response');
  });

  it('sends the final response with the referral rights, meets the clocks and sends the survey', async () => {
    const responded = await act(agent.key, { type: 'send_final_response' });
    expect(responded.status).toBe(200);
    const result = ActionResult.parse(responded.body);
    expect(result.stage).toBe('responded');
    expect(result.deadlines.every((deadline) => deadline.status === 'met')).toBe(true);
    expect(result.outboundMessageIds).toHaveLength(2);

    const final = await waitForCallback('final_response');
    expect(final.text).toContain(reference);
    expect(final.text).toContain('12378');
    expect(final.text).toContain('600');
    const survey = await waitForCallback('survey');
    expect(survey.quickReplies.map((option) => option.value)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('records the survey answer the customer gives through the app and closes the complaint', async () => {
    const answer = { ...complaintBody, clientMessageId: 'app-msg-0001-survey', text: '5 非常满意' };
    const response = await request(harness.ombuds.app).post('/v1/messages').set('Authorization', `Bearer ${harness.appKey}`).send(answer);
    expect(response.status).toBe(202);
    await harness.waitForIdle();
    const closed = await view();
    expect(closed.stage).toBe('closed');
    expect(closed.events.map((event) => event.type)).toEqual(expect.arrayContaining(['survey.sent', 'survey.answered']) as unknown);
    expect(closed.messages.filter((message) => message.direction === 'inbound')).toHaveLength(2);
    const survey = await harness.ombuds.database.query<{ score: number; outcome: string }>(
      'SELECT s.score, s.outcome FROM surveys s JOIN complaints c ON c.id = s.complaint_id WHERE c.reference = $1',
      [reference],
    );
    expect(survey.rows[0]).toEqual({ score: 5, outcome: 'closed' });
    // The answer's own intake shell is merged, never queued for staff.
    const queue = await request(harness.ombuds.app).get('/v1/staff/queue').set('Authorization', `Bearer ${supervisor.key}`);
    expect(queue.body.items).toHaveLength(0);
    await waitForCallback('survey_thanks');
  });

  it('refuses to edit a closed complaint, and reopens it', async () => {
    const before = (await view()).events.length;
    const note = await act(agent.key, { type: 'add_note', text: 'late note' });
    expect(note.status).toBe(409);
    expect(note.body.error.code).toBe('COMPLAINT_CLOSED');
    expect((await view()).events.length).toBe(before);
    const reopened = await act(agent.key, { type: 'reopen', reason: 'customer called back' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.stage).toBe('reopened');
  });

  it('told the helpdesk of each step, every webhook signed, and kept the audit chain intact', async () => {
    const deadline = Date.now() + 20_000;
    while (!webhookTypes().includes('complaint.reopened') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(webhookTypes()).toEqual(
      expect.arrayContaining(['complaint.registered', 'complaint.triaged', 'complaint.responded', 'complaint.closed', 'complaint.reopened']) as unknown,
    );
    for (const received of helpdesk.requests) expect(signed(received, webhookSecret)).toBe(true);
    for (const received of app.requests) expect(signed(received, callbackSecret)).toBe(true);

    const complaint = await view();
    const chain = verifyChain(complaint.events.map((event) => ({ ...event, complaintId: complaint.id, at: new Date(event.createdAt) })));
    expect(chain).toMatchObject({ ok: true });
    const stages = complaint.events.filter((event) => event.type === 'stage.changed').map((event) => event.data.to);
    expect(stages).toEqual(['triaged', 'investigating', 'resolution_proposed', 'investigating', 'resolution_proposed', 'responded', 'closed', 'reopened']);
  });

  it('counts the complaint in the supervisors’ report', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const report = await request(harness.ombuds.app).get(`/v1/reports/summary?from=${today}&to=${today}`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({ received: 1, upheldRate: 1 });
    expect(report.body.totals.satisfaction).toMatchObject({ answered: 1, averageScore: 5 });
    const forbidden = await request(harness.ombuds.app).get(`/v1/reports/summary?from=${today}&to=${today}`).set('Authorization', `Bearer ${agent.key}`);
    expect(forbidden.status).toBe(403);
  });
});
