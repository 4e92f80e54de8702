/**
 * Hotline calls through the real intake worker on both configurations: a call becomes one registered complaint
 * (kind by the classifier, facts the agent confirmed, who took it, clocks from the call's start), a re-import is a
 * duplicate, and a call that continues a customer's open complaint — named by reference, or from the same phone
 * number — joins it instead of opening another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ComplaintView, Transcript, type TranscriptTurn } from '../contracts/index.js';
import { transcriptToInbound } from '../adapters/hotline/normalize.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../../test/support/ombuds-harness.js';
import { referencesIn } from './call-attachment.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function turn(role: 'agent' | 'customer', startMs: number, text: string): TranscriptTurn {
  return { rawSpeaker: role === 'agent' ? 'AGENT' : 'CUSTOMER', role, startMs, text };
}

function transcript(input: { callId: string | null; startedAt: Date | null; phone: string | null; turns: TranscriptTurn[] }): Transcript {
  return Transcript.parse({
    format: 'contact_lens',
    callId: input.callId,
    startedAt: input.startedAt?.toISOString() ?? null,
    durationMs: 120_000,
    customerPhone: input.phone,
    participants: [
      { rawSpeaker: 'AGENT', role: 'agent', name: 'Agent Chen' },
      { rawSpeaker: 'CUSTOMER', role: 'customer' },
    ],
    turns: input.turns,
    language: 'en-US',
  });
}

describe('referencesIn', () => {
  it('finds references as written and as speech recognition spells them', () => {
    expect(referencesIn('my complaint CMP-2026-000123 and c m p 2026 000124, again CMP-2026-000123')).toEqual(['CMP-2026-000123', 'CMP-2026-000124']);
    expect(referencesIn('no reference here, CMP-26-1')).toEqual([]);
  });
});

describe.each(CONFIGURATIONS)('hotline calls in intake (%s)', (configuration) => {
  let harness: Harness;
  let staffKey: string;

  beforeAll(async () => {
    harness = await startHarness(configuration, { env: { REGIME: 'cn_nfra' } });
    staffKey = (await harness.addStaff(`calls-supervisor-${configuration}`, 'supervisor', [])).key;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function importCall(call: Transcript, contentHash = 'f'.repeat(64)) {
    const accepted = await harness.ombuds.intake.accept(transcriptToInbound(call, { contentHash, importedAt: new Date() }));
    await harness.waitForIdle();
    return accepted;
  }

  async function view(reference: string): Promise<ComplaintView> {
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}`).set('Authorization', `Bearer ${staffKey}`);
    expect(response.status).toBe(200);
    return ComplaintView.parse(response.body);
  }

  async function mergedInto(reference: string): Promise<string | null> {
    const result = await harness.ombuds.database.query<{ merged_into: string | null }>(`SELECT merged_into FROM complaints WHERE reference = $1`, [reference]);
    return result.rows[0]?.merged_into ?? null;
  }

  it('registers a call as one complaint: customer words, agent-confirmed amount, who took it, and a re-import is a duplicate', async () => {
    const startedAt = new Date(Date.now() - 2 * DAY_MS);
    const call = transcript({
      callId: 'call-new-1',
      startedAt,
      phone: '+8613800000001',
      turns: [
        turn('agent', 0, 'Thank you for calling Example Bank, this is Chen.'),
        turn('customer', 2000, 'My credit card was charged twice for the same purchase and I want a refund of the extra charge.'),
        turn('agent', 8000, 'I see, so the duplicate charge is 2,300 yuan, correct?'),
        turn('customer', 12000, 'Yes, please fix it.'),
      ],
    });
    const first = await importCall(call);
    expect(first.duplicate).toBe(false);
    const complaint = await view(first.reference ?? '');
    expect(complaint.stage).toBe('registered');
    expect(complaint.record?.channels).toEqual(['hotline']);
    expect(complaint.record?.description).toContain('charged twice');
    expect(complaint.record?.description).not.toContain('Thank you for calling');
    expect(complaint.record?.amount).toEqual({ value: 2300, currency: 'CNY' });
    expect(complaint.record?.receivedAt).toBe(startedAt.toISOString());
    const recorded = complaint.events.find((event) => event.type === 'call.recorded');
    expect(recorded?.data).toMatchObject({ callId: 'call-new-1', takenBy: 'Agent Chen', callStartedAt: startedAt.toISOString(), confirmedByAgent: ['amount'] });

    const again = await importCall(call, 'e'.repeat(64));
    expect(again).toMatchObject({ duplicate: true, reference: first.reference });
    const count = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'hotline' AND channel_message_id = 'call:call-new-1'`);
    expect(count.rows[0]?.n).toBe(1);
  });

  it('starts the clocks when the call started: a call from 14 days ago is due 14 days before one made now', async () => {
    const now = new Date();
    const text = [turn('customer', 1000, 'The ATM kept my debit card and the branch refuses to give it back, I am very unhappy.')];
    const old = await importCall(transcript({ callId: 'call-old-clock', startedAt: new Date(now.getTime() - 14 * DAY_MS), phone: null, turns: text }));
    const fresh = await importCall(transcript({ callId: 'call-now-clock', startedAt: now, phone: null, turns: text }));
    const oldRecord = (await view(old.reference ?? '')).record;
    const freshRecord = (await view(fresh.reference ?? '')).record;
    const resolutionClock = (record: typeof oldRecord) => record?.deadlines.filter((deadline) => deadline.status === 'open').map((deadline) => new Date(deadline.dueAt).getTime()).sort((a, b) => b - a)[0] ?? 0;
    expect(oldRecord?.deadlines.length).toBeGreaterThan(0);
    const shiftDays = (resolutionClock(freshRecord) - resolutionClock(oldRecord)) / DAY_MS;
    // Two whole weeks earlier; a holiday inside either window can move a business-day due date by a few days.
    expect(shiftDays).toBeGreaterThanOrEqual(10);
    expect(shiftDays).toBeLessThanOrEqual(18);
    expect(oldRecord?.receivedAt).toBe(new Date(now.getTime() - 14 * DAY_MS).toISOString());
  });

  it('lets the classifier decide the kind: an inquiry call is an inquiry', async () => {
    const accepted = await importCall(
      transcript({
        callId: 'call-inquiry',
        startedAt: new Date(),
        phone: null,
        turns: [turn('agent', 0, 'Example Bank, how may I help?'), turn('customer', 1500, 'What are your branch opening hours on Saturday?')],
      }),
    );
    expect((await view(accepted.reference ?? '')).record?.kind).toBe('inquiry');
  });

  it('attaches a call that names the customer’s open complaint, and one from the same number, instead of opening new ones', async () => {
    const phone = '+8613800000077';
    const api = await request(harness.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${harness.appKey}`)
      .send({ clientMessageId: 'call-attach-api', sender: { id: 'customer-77', phone }, text: 'Money was taken from my savings account without my consent, 8000 yuan is gone.' });
    expect(api.status).toBe(202);
    await harness.waitForIdle();
    const target = api.body.complaintReference as string;
    expect((await view(target)).stage).toBe('registered');

    // By reference: the customer reads it out (the number is theirs too, but the reference decides).
    const byReference = await importCall(
      transcript({
        callId: 'call-attach-ref',
        startedAt: new Date(),
        phone,
        turns: [turn('agent', 0, 'Example Bank, Chen speaking.'), turn('customer', 1000, `I am calling about my complaint C M P ${target.slice(4, 8)} ${target.slice(9)}, any news?`)],
      }),
    );
    // By phone: no reference, the same number.
    const byPhone = await importCall(
      transcript({ callId: 'call-attach-phone', startedAt: new Date(), phone, turns: [turn('customer', 0, 'I called last week about the money taken from my account.')] }),
    );
    const joined = await view(target);
    const attached = joined.events.filter((event) => event.type === 'call.attached');
    expect(attached.map((event) => event.data.via)).toEqual(['reference', 'phone']);
    expect(attached[0]?.data).toMatchObject({ callId: 'call-attach-ref', takenBy: 'Agent Chen' });
    expect(joined.messages.filter((message) => message.channel === 'hotline')).toHaveLength(2);
    expect(joined.record?.channels).toEqual(['api', 'hotline']);
    const targetId = joined.id;
    expect(await mergedInto(byReference.reference ?? '')).toBe(targetId);
    expect(await mergedInto(byPhone.reference ?? '')).toBe(targetId);
    const notified = await harness.ombuds.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'complaint.call_attached' AND complaint_id = $1`,
      [targetId],
    );
    expect(notified.rows[0]?.n).toBe(2);

    // Someone else naming that reference (another number) opens their own complaint.
    const stranger = await importCall(
      transcript({ callId: 'call-attach-stranger', startedAt: new Date(), phone: '+8613800000088', turns: [turn('customer', 0, `What is happening with ${target}? My card is blocked.`)] }),
    );
    expect(await mergedInto(stranger.reference ?? '')).toBeNull();
    expect((await view(stranger.reference ?? '')).stage).toBe('registered');
  });
});
