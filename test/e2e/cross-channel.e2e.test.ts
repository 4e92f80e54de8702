/**
 * One customer across channels (issue 6 item 5), on both configurations, with Twilio SMS and WhatsApp against
 * their fakes: a complaint made by SMS, then the same phone number writing on WhatsApp about it, is one customer
 * and one complaint that now carries both channels; the dialog answers on WhatsApp (the channel last used), a
 * status question from WhatsApp is answered, and staff may answer on the other channel (or are told the customer
 * never wrote there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { metaSignature } from '../../src/adapters/meta/index.js';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import { metaJson, startFakeMeta, whatsAppPayload, type FakeMeta } from '../support/fake-meta.js';
import { incomingSms, signTwilio, startFakeTwilio, twilioForm, type FakeTwilio } from '../support/fake-twilio.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
const TWILIO_TOKEN = '0123456789abcdef0123456789abcdef';
const PUBLIC_BASE_URL = 'https://ombuds.bank.example';
const OUR_SMS_NUMBER = '+447700900998';
const APP_SECRET = 'e2e-cross-channel-meta-secret-0123456';
const ACCESS_TOKEN = 'EAAG-e2e-cross-channel-token-0123456789';
const PHONE_NUMBER_ID = '106540352242933';

let nextNumber = 7_700_900_500;
let nextId = 0;

describe.each(CONFIGURATIONS)('one customer across SMS and WhatsApp (%s)', (configuration) => {
  let twilio: FakeTwilio;
  let meta: FakeMeta;
  let harness: Harness;
  const current = () => harness;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
    meta = await startFakeMeta({ accessToken: ACCESS_TOKEN });
    harness = await startHarness(configuration, {
      env: {
        TWILIO_ACCOUNT_SID: TWILIO_SID,
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        TWILIO_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
        TWILIO_API_ROOT: twilio.apiRoot,
        META_APP_SECRET: APP_SECRET,
        META_VERIFY_TOKEN: 'e2e-cross-channel-verify',
        META_ACCESS_TOKEN: ACCESS_TOKEN,
        META_GRAPH_API_ROOT: meta.apiRoot,
        RETRY_BASE_MS: '10',
        RETRY_MAX_MS: '200',
        TIMEZONE: 'Europe/London',
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await twilio.close();
    await meta.close();
  });

  function smsChat(phone: string): ChatChannel {
    const send = async (text: string): Promise<void> => {
      const body = twilioForm(incomingSms({ from: phone, to: OUR_SMS_NUMBER, body: text, accountSid: TWILIO_SID }));
      const response = await request(harness.ombuds.app)
        .post('/webhooks/sms/twilio')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('X-Twilio-Signature', signTwilio(TWILIO_TOKEN, `${PUBLIC_BASE_URL}/webhooks/sms/twilio`, body))
        .send(body);
      if (response.status !== 200) throw new Error(`twilio webhook answered ${String(response.status)}`);
    };
    return { send, press: send, replies: (): BotReply[] => twilio.sent().filter((call) => call.params.To === phone && call.status < 300).map((call) => ({ text: call.params.Body ?? '', quickReplies: [] })) };
  }

  function whatsAppChat(waId: string): ChatChannel {
    const send = async (text: string): Promise<void> => {
      nextId += 1;
      const body = metaJson(whatsAppPayload([{ id: `wamid.CROSS${String(nextId)}`, from: waId, name: 'Jo Bloggs', text }], [], PHONE_NUMBER_ID));
      const response = await request(harness.ombuds.app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(body, APP_SECRET)).send(body);
      if (response.status !== 200) throw new Error(`meta webhook answered ${String(response.status)}`);
    };
    return {
      send,
      press: send,
      replies: (): BotReply[] =>
        meta
          .callsOf('whatsapp')
          .filter((call) => call.body.to === waId)
          .map((call) => {
            const body = call.body as { text?: { body: string }; interactive?: { body: { text: string } } };
            return { text: body.text?.body ?? body.interactive?.body.text ?? '', quickReplies: [] };
          }),
    };
  }

  async function actOn(reference: string, staffKey: string, action: Record<string, unknown>) {
    return request(harness.ombuds.app).post(`/v1/complaints/${reference}/actions`).set('Authorization', `Bearer ${staffKey}`).send(action);
  }

  it('makes the SMS complaint and the WhatsApp follow-up one customer and one complaint with both channels', async () => {
    const digits = String((nextNumber += 1));
    const sms = chatCustomer(current, smsChat(`+44${digits}`));
    expect(textOf(await sms.turn('I was charged a £25 fee on my current account that nobody explained to me.'))).toMatch(/\?/);
    let replies = await sms.turn('yesterday');
    for (let turn = 0; turn < 4 && !/Is this correct/.test(textOf(replies)); turn += 1) replies = await sms.turn('An explanation and a refund');
    const reference = String(referenceIn(await sms.turn('yes')));
    expect(reference).toMatch(/^CMP-/);

    // The same number on WhatsApp (wa_id has no "+"), naming the complaint: it joins it, and the answer goes to WhatsApp.
    const whatsapp = chatCustomer(current, whatsAppChat(`44${digits}`));
    const joined = await whatsapp.turn(`About ${reference}: they took the fee again this morning.`);
    expect(textOf(joined)).toContain(`added this to your complaint ${reference}`);
    const complaint = await harness.ombuds.database.query<{ id: string; customer_id: string; record: { channels: string[] } }>(
      `SELECT id, customer_id, record FROM complaints WHERE reference = $1`,
      [reference],
    );
    const row = complaint.rows[0];
    expect(row?.record.channels).toEqual(['sms_twilio', 'whatsapp']);
    const identities = await harness.ombuds.database.query<{ channel: string; customer_id: string }>(
      `SELECT channel, customer_id FROM customer_identities WHERE address IN ($1, $2)`,
      [`+44${digits}`, `44${digits}`],
    );
    expect(new Set(identities.rows.map((identity) => identity.customer_id))).toEqual(new Set([row?.customer_id]));
    expect(identities.rows.map((identity) => identity.channel).sort()).toEqual(['phone', 'sms_twilio', 'whatsapp']);

    // A status question from WhatsApp is the same customer's: answered.
    expect(textOf(await whatsapp.turn(`status ${reference}`))).toContain(`Complaint ${reference}`);

    // Staff answer where the customer wrote last (WhatsApp) or, if they choose, by SMS; never on a channel not used.
    const staff = await harness.addStaff(`cross-${digits}`, 'supervisor', []);
    const smsBefore = twilio.sent().length;
    expect((await actOn(reference, staff.key, { type: 'reply', message: 'We are refunding the fee.' })).status).toBe(200);
    expect((await actOn(reference, staff.key, { type: 'reply', message: 'By text as you asked.', channel: 'sms_twilio' })).status).toBe(200);
    const refused = await actOn(reference, staff.key, { type: 'reply', message: 'On WeChat?', channel: 'wechat' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'NO_CONVERSATION']);
    await settle(harness);
    expect(textOf(whatsAppChat(`44${digits}`).replies())).toContain('We are refunding the fee.');
    const bySms = twilio.sent().slice(smsBefore).map((call) => call.params.Body ?? '');
    expect(bySms.join('\n')).toContain('By text as you asked.');
    expect(bySms.join('\n')).not.toContain('We are refunding the fee.');
  });
});
