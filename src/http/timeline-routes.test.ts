/**
 * A complaint's timeline (`GET /v1/complaints/{id}/timeline`) on both configurations, for a complaint that went
 * through everything: an SMS intake dialog (against the Twilio fake), a staff reply, an internal note, a stage
 * change, and a hotline call from the same number that joined it — in order, each entry of its kind, the call turn
 * by turn; and the same visibility as the complaint's view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Transcript, TimelineView, type TranscriptTurn } from '../contracts/index.js';
import { transcriptToInbound } from '../adapters/hotline/index.js';
import { chatCustomer, referenceIn, settle, type BotReply, type ChatChannel } from '../../test/support/chat-driver.js';
import { incomingSms, signTwilio, startFakeTwilio, twilioForm, type FakeTwilio } from '../../test/support/fake-twilio.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../../test/support/ombuds-harness.js';

const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
const TWILIO_TOKEN = '0123456789abcdef0123456789abcdef';
const PUBLIC_BASE_URL = 'https://ombuds.bank.example';
const OUR_SMS_NUMBER = '+447700900998';
/** A valid UK mobile number (the call's metadata is checked with libphonenumber; Ofcom's drama range is not valid). */
const CUSTOMER_PHONE = '+447911123456';

function turn(role: 'agent' | 'customer', startMs: number, text: string): TranscriptTurn {
  return { rawSpeaker: role === 'agent' ? 'AGENT' : 'CUSTOMER', role, startMs, text };
}

describe.each(CONFIGURATIONS)('the complaint timeline (%s)', (configuration) => {
  let twilio: FakeTwilio;
  let harness: Harness;
  let supervisor: { id: string; key: string };
  let otherAgent: { id: string; key: string };
  let reference: string;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
    harness = await startHarness(configuration, {
      env: { TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_PUBLIC_BASE_URL: PUBLIC_BASE_URL, TWILIO_API_ROOT: twilio.apiRoot, RETRY_BASE_MS: '10', RETRY_MAX_MS: '200' },
    });
    supervisor = await harness.addStaff(`timeline-supervisor-${configuration}`, 'supervisor', []);
    otherAgent = await harness.addStaff(`timeline-wealth-${configuration}`, 'agent', ['wealth']);

    // The intake dialog by SMS.
    const send = async (text: string): Promise<void> => {
      const body = twilioForm(incomingSms({ from: CUSTOMER_PHONE, to: OUR_SMS_NUMBER, body: text, accountSid: TWILIO_SID }));
      const response = await request(harness.ombuds.app)
        .post('/webhooks/sms/twilio')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('X-Twilio-Signature', signTwilio(TWILIO_TOKEN, `${PUBLIC_BASE_URL}/webhooks/sms/twilio`, body))
        .send(body);
      if (response.status !== 200) throw new Error(`twilio webhook answered ${String(response.status)}`);
    };
    const sms: ChatChannel = {
      send,
      press: send,
      replies: (): BotReply[] => twilio.sent().filter((call) => call.params.To === CUSTOMER_PHONE && call.status < 300).map((call) => ({ text: call.params.Body ?? '', quickReplies: [] })),
    };
    const customer = chatCustomer(() => harness, sms);
    await customer.turn('I was charged a £25 fee on my current account that nobody explained to me.');
    let replies = await customer.turn('yesterday');
    for (let attempt = 0; attempt < 4 && !/Is this correct/.test(replies.map((reply) => reply.text).join('\n')); attempt += 1) replies = await customer.turn('An explanation and a refund');
    reference = String(referenceIn(await customer.turn('yes')));
    expect(reference).toMatch(/^CMP-/);

    // A staff reply, a note, the investigation starting.
    const act = async (action: object) => {
      const response = await request(harness.ombuds.app).post(`/v1/complaints/${reference}/actions`).set('Authorization', `Bearer ${supervisor.key}`).send(action);
      expect(response.status).toBe(200);
    };
    await act({ type: 'reply', message: 'We are looking into the fee and will refund it if it was wrong.' });
    await act({ type: 'add_note', text: 'Customer sounded upset; fee was applied by the new tariff batch.' });
    await act({ type: 'start_investigation' });
    await settle(harness);

    // The customer calls from the same number about the same complaint: the call joins it.
    const call = Transcript.parse({
      format: 'contact_lens',
      callId: `timeline-call-${configuration}`,
      startedAt: new Date().toISOString(),
      durationMs: 60_000,
      customerPhone: CUSTOMER_PHONE,
      participants: [
        { rawSpeaker: 'AGENT', role: 'agent', name: 'Agent Chen' },
        { rawSpeaker: 'CUSTOMER', role: 'customer' },
      ],
      turns: [turn('agent', 0, 'Example Bank, Chen speaking.'), turn('customer', 1500, `I am calling about my complaint ${reference}, the fee is still there.`)],
      language: 'en-GB',
    });
    await harness.ombuds.intake.accept(transcriptToInbound(call, { contentHash: 'e'.repeat(64), importedAt: new Date() }));
    await harness.waitForIdle();
  });
  afterAll(async () => {
    await harness.close();
    await twilio.close();
  });

  it('tells the whole story in order: customer, bot, system, agent, note and the call turn by turn', async () => {
    const response = await request(harness.ombuds.app).get(`/v1/complaints/${reference}/timeline`).set('Authorization', `Bearer ${supervisor.key}`);
    expect(response.status).toBe(200);
    const { entries } = TimelineView.parse(response.body);
    const times = entries.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);

    // The dialog: the customer's first words first, the bot's questions between their answers.
    expect(entries[0]).toMatchObject({ kind: 'customer', channel: 'sms_twilio', author: null, status: null, transcript: null });
    expect(entries[0]?.text).toContain('£25 fee');
    expect(entries[1]?.kind).toBe('bot');
    const customerSms = entries.filter((entry) => entry.kind === 'customer' && entry.channel === 'sms_twilio');
    expect(customerSms.length).toBeGreaterThanOrEqual(3);
    const acknowledgement = entries.find((entry) => entry.kind === 'bot' && entry.text.includes(reference));
    expect(acknowledgement?.status).toMatch(/^(sent|delivered)$/);

    const registered = entries.findIndex((entry) => entry.kind === 'system' && entry.text === 'Registered');
    const agent = entries.findIndex((entry) => entry.kind === 'agent');
    const note = entries.findIndex((entry) => entry.kind === 'note');
    const investigating = entries.findIndex((entry) => entry.kind === 'system' && entry.text.includes('→ investigating'));
    const call = entries.findIndex((entry) => entry.channel === 'hotline');
    expect(registered).toBeGreaterThan(customerSms.length - 1);
    expect([registered, agent, note, investigating, call].every((index, position, all) => index >= 0 && (position === 0 || index > (all[position - 1] ?? -1)))).toBe(true);

    expect(entries[agent]).toMatchObject({ channel: 'sms_twilio', author: `timeline-supervisor-${configuration}` });
    expect(entries[agent]?.text).toContain('We are looking into the fee');
    expect(entries[note]).toMatchObject({ channel: null, author: `timeline-supervisor-${configuration}`, text: 'Customer sounded upset; fee was applied by the new tariff batch.' });
    // Only staff replies are the agent's: every automatic message is the bot's, with no author.
    expect(entries.filter((entry) => entry.kind === 'agent')).toHaveLength(1);
    expect(entries.filter((entry) => entry.kind === 'bot').every((entry) => entry.author === null)).toBe(true);

    expect(entries[call]).toMatchObject({ kind: 'customer', transcript: { callId: `timeline-call-${configuration}` } });
    expect(entries[call]?.transcript?.turns).toEqual([
      { speaker: 'agent', startSeconds: 0, text: 'Example Bank, Chen speaking.' },
      { speaker: 'customer', startSeconds: 1.5, text: `I am calling about my complaint ${reference}, the fee is still there.` },
    ]);
  });

  it('is as visible as the complaint: 404 for an agent of another team or an unknown complaint, 401 without a key', async () => {
    const timeline = (id: string, key: string | null) => {
      const call = request(harness.ombuds.app).get(`/v1/complaints/${id}/timeline`);
      return key ? call.set('Authorization', `Bearer ${key}`) : call;
    };
    const hidden = await timeline(reference, otherAgent.key);
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await timeline('CMP-2000-999999', supervisor.key)).status).toBe(404);
    expect((await timeline('not-an-id', supervisor.key)).status).toBe(404);
    expect((await timeline(reference, null)).status).toBe(401);
  });
});
