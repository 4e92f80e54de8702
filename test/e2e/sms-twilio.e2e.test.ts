/**
 * Twilio SMS end to end, on both configurations, against a local fake of Twilio's Messages API: an SMS POSTed to
 * `/webhooks/sms/twilio` with `X-Twilio-Signature` (over the configured public URL) is stored before the empty
 * TwiML answer and answered through `Messages.json` (the dialog's question, in words: SMS has no buttons); a whole
 * conversation ends with a CMP reference; unsigned, tampered and foreign-URL requests store nothing; a redelivered
 * message is one message; a 500 from Twilio is retried; a status callback marks the reply delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { isOmbudsError } from '../../src/shared/errors.js';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import { incomingSms, signTwilio, startFakeTwilio, twilioAnswer, twilioFixtureBodies, twilioForm, type FakeTwilio } from '../support/fake-twilio.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const ACCOUNT_SID = 'AC5ef8732a3c49700934481addd5ce1659';
const AUTH_TOKEN = '9f7c2a1b3d4e5f60718293a4b5c6d7e8';
const PUBLIC_BASE_URL = 'https://complaints.bank.example';
const PATH = '/webhooks/sms/twilio';
const OUR_NUMBER = '+447700900999';
const EN_TEXT = String(readJsonFixture('api/api-2-en-account-blocked.json').text);
const ENV = {
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
  RETRY_BASE_MS: '10',
  RETRY_MAX_MS: '200',
  OUTBOUND_TIMEOUT_MS: '3000',
  TIMEZONE: 'Europe/London',
};
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

let nextCustomer = 7_700_900_100;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function inboundCount(harness: Harness): Promise<number> {
  const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'sms_twilio' AND direction = 'inbound'`);
  return result.rows[0]?.n ?? -1;
}

/** Posts a form body to the webhook as Twilio would, signed over the public URL (or with the signature given). */
function post(harness: Harness, body: string, signature: string | null = signTwilio(AUTH_TOKEN, `${PUBLIC_BASE_URL}${PATH}`, body)) {
  const call = request(harness.ombuds.app).post(PATH).set('Content-Type', 'application/x-www-form-urlencoded').send(body);
  return signature === null ? call : call.set('X-Twilio-Signature', signature);
}

/** A phone texting our number, speaking through the webhook and reading what the fake Twilio was asked to send it. */
function smsChat(harness: () => Harness, fake: FakeTwilio): ChatChannel & { phone: string } {
  nextCustomer += 1;
  const phone = `+44${String(nextCustomer)}`;
  const send = async (text: string): Promise<void> => {
    const response = await post(harness(), twilioForm(incomingSms({ from: phone, to: OUR_NUMBER, body: text, accountSid: ACCOUNT_SID })));
    if (response.status !== 200) throw new Error(`webhook answered ${String(response.status)}: ${response.text}`);
  };
  return {
    phone,
    send,
    // No buttons on SMS: the customer types the option.
    press: send,
    replies: (): BotReply[] => fake.sent().filter((call) => call.params.To === phone).map((call) => ({ text: call.params.Body ?? '', quickReplies: [] })),
  };
}

describe.each(CONFIGURATIONS)('Twilio SMS end to end (%s)', (configuration) => {
  let fake: FakeTwilio;
  let harness: Harness;
  const current = () => harness;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    harness = await startHarness(configuration, { env: { ...ENV, TWILIO_API_ROOT: fake.apiRoot } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('stores a signed SMS before answering with empty TwiML, and sends the dialog\'s first question back by SMS from our number', async () => {
    const chat = smsChat(current, fake);
    const sms = incomingSms({ from: chat.phone, to: OUR_NUMBER, body: EN_TEXT, accountSid: ACCOUNT_SID });
    const response = await post(harness, twilioForm(sms));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(response.text).toBe(TWIML);
    // Twilio does not redeliver: the 200 means the message is in the database already.
    const stored = await harness.ombuds.database.query<{ sender: { id: string; phone: string } }>(
      `SELECT sender FROM messages WHERE channel = 'sms_twilio' AND channel_message_id = $1`,
      [sms.MessageSid],
    );
    expect(stored.rows[0]?.sender).toMatchObject({ id: chat.phone, phone: chat.phone });
    await settle(harness);
    const [question] = chat.replies();
    expect(question?.text).toMatch(/\?/);
    expect(question?.text).not.toMatch(/CMP-/);
    const call = fake.sent().find((sent) => sent.params.To === chat.phone);
    expect(call?.params).toMatchObject({ From: OUR_NUMBER, StatusCallback: `${PUBLIC_BASE_URL}${PATH}` });
    expect(call?.accountSid).toBe(ACCOUNT_SID);
  });

  it('takes a whole conversation in words, without buttons, to a registered complaint with its CMP reference', async () => {
    const chat = smsChat(current, fake);
    const customer = chatCustomer(current, chat);
    const first = await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.');
    expect(textOf(first)).toMatch(/when did this happen/i);
    // SMS cannot show buttons: the question says what to type.
    expect(textOf(first)).toMatch(/skip/);
    let replies = await customer.turn('yesterday');
    for (let turn = 0; turn < 4 && !/Is this correct\?/.test(textOf(replies)); turn += 1) replies = await customer.turn('I want a refund');
    expect(textOf(replies)).toMatch(/Is this correct\?/);
    expect(textOf(replies)).toContain('300 GBP');
    const registered = await customer.turn('yes');
    const reference = referenceIn(registered);
    expect(reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    const complaint = await harness.ombuds.database.query<{ stage: string; record: { channels: string[]; customer: { contacts: { type: string; value: string }[] } } }>(
      `SELECT stage, record FROM complaints WHERE reference = $1`,
      [reference],
    );
    expect(complaint.rows[0]?.stage).toBe('registered');
    expect(complaint.rows[0]?.record.channels).toEqual(['sms_twilio']);
    expect(JSON.stringify(complaint.rows[0]?.record.customer)).toContain(chat.phone);
  });

  it('takes every Twilio fixture as Twilio posts it (two of them share a MessageSid: one message)', async () => {
    const before = await inboundCount(harness);
    for (const { name, body } of twilioFixtureBodies()) {
      const response = await post(harness, body);
      expect(response.status, `${name}: ${response.text}`).toBe(200);
      expect(response.text).toBe(TWIML);
    }
    expect(await inboundCount(harness)).toBe(before + 2);
    const media = await harness.ombuds.database.query<{ attachments: { type: string; url: string }[] }>(
      `SELECT attachments FROM messages WHERE channel = 'sms_twilio' AND channel_message_id = 'SMe287d7109a5a925f182f0e07fe5b223b'`,
    );
    expect(media.rows[0]?.attachments.map((attachment) => attachment.url)).toEqual(['cat.jpg', 'dog.jpg']);
    await settle(harness);
  });

  it('refuses unsigned, tampered and foreign-URL requests with 401 and garbage with 400, storing nothing', async () => {
    const before = await inboundCount(harness);
    const body = twilioForm(incomingSms({ from: '+447700900001', to: OUR_NUMBER, body: EN_TEXT, accountSid: ACCOUNT_SID }));
    const signature = signTwilio(AUTH_TOKEN, `${PUBLIC_BASE_URL}${PATH}`, body);
    const tamperedBody = body.replace('Body=', 'Body=X');
    for (const [what, sent] of [
      ['no signature', post(harness, body, null)],
      ['a wrong signature', post(harness, body, signature.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')))],
      ['one byte of the body changed', post(harness, tamperedBody, signature)],
      ['signed for the host the request came in on', post(harness, body, signTwilio(AUTH_TOKEN, `http://127.0.0.1${PATH}`, body))],
      ['signed with another token', post(harness, body, signTwilio('00000000000000000000000000000000', `${PUBLIC_BASE_URL}${PATH}`, body))],
    ] as const) {
      const response = await sent;
      expect(response.status, what).toBe(401);
      expect(response.body.error.code).toBe('SIGNATURE_INVALID');
    }
    for (const garbage of ['', 'Body=hello', 'MessageSid=SM1&Body=no-account']) {
      const response = await post(harness, garbage);
      expect(response.status, garbage).toBe(400);
      expect(response.body.error.code).toBe('PAYLOAD_INVALID');
    }
    expect(await inboundCount(harness)).toBe(before);
  });

  it('stores a redelivered message once: one message, one complaint shell', async () => {
    const body = twilioForm(incomingSms({ from: '+447700900002', to: OUR_NUMBER, body: EN_TEXT, accountSid: ACCOUNT_SID }));
    const sid = new URLSearchParams(body).get('MessageSid');
    const [first, second] = [await post(harness, body), await post(harness, body)];
    expect([first.status, second.status]).toEqual([200, 200]);
    const rows = await harness.ombuds.database.query<{ n: number; complaints: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT complaint_id)::int AS complaints FROM messages WHERE channel = 'sms_twilio' AND channel_message_id = $1`,
      [sid],
    );
    expect(rows.rows[0]).toEqual({ n: 1, complaints: 1 });
    await settle(harness);
  });

  it('delivers a reply on a retry when Twilio first answers 500, and marks it delivered on Twilio\'s status callback', async () => {
    await settle(harness);
    const chat = smsChat(current, fake);
    fake.script(twilioAnswer.serverError(500));
    await chat.send('My online banking app keeps logging me out and I cannot pay my rent');
    await settle(harness);
    const attempts = fake.calls.filter((call) => call.params.To === chat.phone);
    expect(attempts.map((call) => call.status)).toEqual([500, 201]);
    const row = await harness.ombuds.database.query<{ id: string; status: string; attempts: number; vendor_message_id: string }>(
      `SELECT id, status, attempts, vendor_message_id FROM messages WHERE direction = 'outbound' AND channel = 'sms_twilio' AND reply_address LIKE $1 || '|%'`,
      [chat.phone],
    );
    expect(row.rows[0]).toMatchObject({ status: 'sent', attempts: 2, vendor_message_id: attempts[1]?.sid });
    // Twilio reports the delivery to the StatusCallback URL, signed like every webhook.
    const callback = twilioForm({
      SmsSid: attempts[1]?.sid ?? '',
      SmsStatus: 'delivered',
      MessageStatus: 'delivered',
      To: chat.phone,
      MessageSid: attempts[1]?.sid ?? '',
      AccountSid: ACCOUNT_SID,
      From: OUR_NUMBER,
      ApiVersion: '2010-04-01',
    });
    const before = await inboundCount(harness);
    // An interim status (queued, sending) is acknowledged and changes nothing; delivered moves the message on.
    const interim = await post(harness, callback.replaceAll('=delivered', '=sending'));
    expect([interim.status, interim.text]).toEqual([200, TWIML]);
    expect((await post(harness, callback)).status).toBe(200);
    const delivered = await until('the delivered status', async () => {
      const result = await harness.ombuds.database.query<{ status: string }>(`SELECT status FROM messages WHERE id = $1`, [row.rows[0]?.id]);
      return result.rows[0]?.status === 'delivered' ? true : undefined;
    });
    expect(delivered).toBe(true);
    expect(await inboundCount(harness)).toBe(before);
  });

  it('documents the mounted webhook and never logs the auth token', async () => {
    const openapi = await request(harness.ombuds.app).get('/v1/openapi.json');
    const path = (openapi.body.paths as Record<string, { post?: { requestBody?: { content?: Record<string, unknown> } } }>)[PATH];
    expect(Object.keys(path?.post?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
    expect(harness.logLines.join('\n')).not.toContain(AUTH_TOKEN);
  });
});

describe('Twilio SMS configuration', () => {
  const refused = (source: Record<string, string>): string => {
    try {
      loadEnv(source);
    } catch (error) {
      if (isOmbudsError(error) && error.code === 'CONFIG_INVALID') return error.message;
      throw error;
    }
    throw new Error('accepted');
  };

  it('is off without a token, and needs the account sid and a public URL with it', () => {
    expect(loadEnv({}).TWILIO_AUTH_TOKEN).toBeUndefined();
    expect(refused({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_PUBLIC_BASE_URL: PUBLIC_BASE_URL })).toContain('TWILIO_ACCOUNT_SID');
    expect(refused({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_ACCOUNT_SID: ACCOUNT_SID })).toContain('TWILIO_PUBLIC_BASE_URL');
    expect(loadEnv({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_ACCOUNT_SID: ACCOUNT_SID, PUBLIC_BASE_URL }).TWILIO_API_ROOT).toBe('https://api.twilio.com');
  });

  it('refuses a malformed token or sid and names it, without echoing the token', () => {
    const message = refused({ TWILIO_AUTH_TOKEN: 'not-a-token-but-a-secret-value', TWILIO_ACCOUNT_SID: ACCOUNT_SID, PUBLIC_BASE_URL });
    expect(message).toContain('TWILIO_AUTH_TOKEN');
    expect(message).not.toContain('not-a-token-but-a-secret-value');
    expect(refused({ TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_ACCOUNT_SID: 'XX123', PUBLIC_BASE_URL })).toContain('TWILIO_ACCOUNT_SID');
  });
});
