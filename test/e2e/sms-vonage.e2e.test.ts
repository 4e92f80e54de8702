/**
 * Vonage SMS end to end, on both configurations, against a local fake of the Vonage SMS API: a signed inbound SMS
 * (JSON or form) POSTed to `/webhooks/sms/vonage` is stored and answered through `/sms/json`; a whole conversation
 * ends with a CMP reference; the parts of a concatenated SMS, in any order and redelivered, become one message and
 * one turn; a group that never completes is handed over after VONAGE_CONCAT_TIMEOUT_MS; unsigned, tampered and
 * stale requests store nothing; a redelivered SMS is one message; a 500 from Vonage is retried; a delivery receipt
 * marks the reply delivered; and the same phone number on Vonage and Twilio is one customer.
 * (Parts split between two Ombuds processes: sms-vonage-concat.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { isOmbudsError } from '../../src/shared/errors.js';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import { incomingSms, signTwilio, startFakeTwilio, twilioForm, type FakeTwilio } from '../support/fake-twilio.js';
import {
  concatenatedSms,
  deliveryReceipt,
  inboundSms,
  signedVonageParams,
  startFakeVonage,
  vonageAnswer,
  vonageBody,
  type FakeVonage,
} from '../support/fake-vonage.js';
import { fixturePath, listFixtures, readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';
import { readFileSync } from 'node:fs';

const SECRET = 'e2e-vonage-signature-secret-0123456789';
const API_KEY = 'e2ekey01';
const API_SECRET = 'e2e-api-secret-value';
const PATH = '/webhooks/sms/vonage';
const OUR_NUMBER = '447700900888';
const EN_TEXT = String(readJsonFixture('api/api-2-en-account-blocked.json').text);
const ENV = {
  VONAGE_SIGNATURE_SECRET: SECRET,
  VONAGE_SIGNATURE_METHOD: 'sha256',
  VONAGE_API_KEY: API_KEY,
  VONAGE_API_SECRET: API_SECRET,
  RETRY_BASE_MS: '10',
  RETRY_MAX_MS: '200',
  OUTBOUND_TIMEOUT_MS: '3000',
  TIMEZONE: 'Europe/London',
};

let nextCustomer = 447_700_900_300;

function newCustomer(): string {
  nextCustomer += 1;
  return String(nextCustomer);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function inbound(harness: Harness, msisdn: string): Promise<{ text: string; channel_message_id: string; raw: Record<string, unknown> }[]> {
  const result = await harness.ombuds.database.query<{ text: string; channel_message_id: string; raw: Record<string, unknown> }>(
    `SELECT text, channel_message_id, raw FROM messages WHERE channel = 'sms_vonage' AND direction = 'inbound' AND sender->>'id' = $1 ORDER BY received_at`,
    [`+${msisdn}`],
  );
  return result.rows;
}

async function inboundCount(harness: Harness): Promise<number> {
  const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'sms_vonage' AND direction = 'inbound'`);
  return result.rows[0]?.n ?? -1;
}

/** Posts parameters as Vonage would: signed (fresh timestamp) unless `unsigned`, as JSON or a form. */
function post(harness: Harness, params: Record<string, string>, options: { format?: 'json' | 'form'; unsigned?: boolean } = {}) {
  const signed = options.unsigned ? params : signedVonageParams(params, SECRET, { method: 'sha256' });
  const { body, contentType } = vonageBody(signed, options.format);
  return request(harness.ombuds.app).post(PATH).set('Content-Type', contentType).send(body);
}

function repliesTo(fake: FakeVonage, msisdn: string): BotReply[] {
  return fake.sent().filter((call) => call.params.to === msisdn).map((call) => ({ text: call.params.text ?? '', quickReplies: [] }));
}

function smsChat(harness: () => Harness, fake: FakeVonage, format: 'json' | 'form' = 'json'): ChatChannel & { msisdn: string } {
  const msisdn = newCustomer();
  const send = async (text: string): Promise<void> => {
    const response = await post(harness(), inboundSms({ msisdn, to: OUR_NUMBER, text }), { format });
    if (response.status !== 200) throw new Error(`webhook answered ${String(response.status)}: ${response.text}`);
  };
  return { msisdn, send, press: send, replies: () => repliesTo(fake, msisdn) };
}

describe.each(CONFIGURATIONS)('Vonage SMS end to end (%s)', (configuration) => {
  let fake: FakeVonage;
  let harness: Harness;
  const current = () => harness;

  beforeAll(async () => {
    fake = await startFakeVonage({ apiKey: API_KEY, apiSecret: API_SECRET });
    harness = await startHarness(configuration, { env: { ...ENV, VONAGE_API_ROOT: fake.apiRoot } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('stores a signed SMS (JSON or form) and sends the dialog\'s first question back from our number', async () => {
    for (const format of ['json', 'form'] as const) {
      const chat = smsChat(current, fake, format);
      await chat.send(EN_TEXT);
      await settle(harness);
      const [question] = chat.replies();
      expect(question?.text, format).toMatch(/\?/);
      const call = fake.sent().find((sent) => sent.params.to === chat.msisdn);
      expect(call?.params).toMatchObject({ from: OUR_NUMBER, api_key: API_KEY, type: 'text' });
      expect((await inbound(harness, chat.msisdn))[0]?.text).toBe(EN_TEXT);
    }
  });

  it('takes a whole conversation to a registered complaint with its CMP reference', async () => {
    const chat = smsChat(current, fake);
    const customer = chatCustomer(current, chat);
    const first = await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.');
    expect(textOf(first)).toMatch(/when did this happen/i);
    let replies = await customer.turn('yesterday');
    for (let turn = 0; turn < 4 && !/Is this correct\?/.test(textOf(replies)); turn += 1) replies = await customer.turn('I want a refund');
    expect(textOf(replies)).toContain('300 GBP');
    const registered = await customer.turn('yes');
    expect(referenceIn(registered)).toMatch(/^CMP-\d{4}-\d{6}$/);
  });

  it('joins the parts of a long SMS, in whatever order and however often they come, into one message and one turn', async () => {
    const msisdn = newCustomer();
    const text = `${EN_TEXT} I have been a customer for twenty years and I have never been treated like this before; please look into it today.`;
    const parts = concatenatedSms({ msisdn, to: OUR_NUMBER, text, ref: '42', size: 67 });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const order = [parts.length - 1, 0, ...parts.slice(1, -1).map((_part, index) => index + 1)];
    for (const [position, index] of order.entries()) {
      const part = parts[index];
      if (!part) throw new Error('missing part');
      expect((await post(harness, part)).status).toBe(200);
      // A redelivery of the part just sent changes nothing.
      expect((await post(harness, part, { format: 'form' })).status).toBe(200);
      if (position < order.length - 1) expect(await inbound(harness, msisdn)).toHaveLength(0);
    }
    const rows = await inbound(harness, msisdn);
    expect(rows.map((row) => row.text)).toEqual([text]);
    expect(rows[0]?.raw.concatenated).toMatchObject({ total: parts.length, incomplete: false });
    await settle(harness);
    // One message, one dialog turn: one question.
    expect(repliesTo(fake, msisdn)).toHaveLength(1);
    // Every part again, after the join: nothing new.
    for (const part of parts) expect((await post(harness, part)).status).toBe(200);
    expect(await inbound(harness, msisdn)).toHaveLength(1);
  });

  it('takes the Vonage fixtures (both parts of longer messages) and hands them over, marked incomplete, after the timeout', async () => {
    const before = await inboundCount(harness);
    for (const relative of listFixtures('sms-vonage')) {
      const params = JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as Record<string, string>;
      const response = await post(harness, params);
      expect(response.status, `${relative}: ${response.text}`).toBe(200);
    }
    // Parts wait for the rest.
    expect(await inboundCount(harness)).toBe(before);
    // As if the timeout had passed for these two groups (the harness's VONAGE_CONCAT_TIMEOUT_MS is the default).
    await harness.ombuds.database.query(
      `UPDATE message_part_groups SET last_part_at = last_part_at - interval '1 day' WHERE completed_at IS NULL AND group_key IN ('447700900001|447700900000|1', '447700900419|447700900996|78')`,
    );
    await harness.ombuds.reconciler.reconcileOnce();
    const rows = await harness.ombuds.database.query<{ text: string; raw: { concatenated: { incomplete: boolean; received: number[] } } }>(
      `SELECT text, raw FROM messages WHERE channel = 'sms_vonage' AND channel_message_id IN ('concat:447700900001|447700900000|1:0A0000000123ABCD1', 'concat:447700900419|447700900996|78:0B000000D0EBB58D')`,
    );
    expect(rows.rows.map((row) => row.text).sort()).toEqual(['Lorem Ipsum is simply dummy text of the printing and typesetting in […]', '[…] Hello world […]']);
    expect(rows.rows.map((row) => row.raw.concatenated.incomplete)).toEqual([true, true]);
    await settle(harness);
  });

  it('refuses unsigned, tampered, wrongly signed and stale requests with 401 and garbage with 400, storing nothing', async () => {
    const before = await inboundCount(harness);
    const sms = inboundSms({ msisdn: newCustomer(), to: OUR_NUMBER, text: EN_TEXT });
    const signed = signedVonageParams(sms, SECRET, { method: 'sha256' });
    const attempts: [string, Record<string, string>][] = [
      ['unsigned', sms],
      ['one character of the text changed', { ...signed, text: `${EN_TEXT.slice(0, -1)}?` }],
      ['signed with another secret', signedVonageParams(sms, 'another-secret-0123456789abcdef', { method: 'sha256' })],
      ['signed with md5hash instead of sha256', signedVonageParams(sms, SECRET, { method: 'md5hash' })],
      ['signed two days ago', signedVonageParams(sms, SECRET, { method: 'sha256', at: new Date(Date.now() - 2 * 86_400_000) })],
    ];
    for (const [what, params] of attempts) {
      const response = await post(harness, params, { unsigned: true });
      expect(response.status, what).toBe(401);
      expect(response.body.error.code).toBe('SIGNATURE_INVALID');
    }
    const garbages: Record<string, string>[] = [{ msisdn: '447700900123', text: 'no message id' }, { messageId: 'x<y', text: 'bad id' }];
    for (const garbage of garbages) {
      const response = await post(harness, garbage);
      expect(response.status, JSON.stringify(garbage)).toBe(400);
    }
    expect(await inboundCount(harness)).toBe(before);
  });

  it('stores a redelivered SMS once', async () => {
    const sms = inboundSms({ msisdn: newCustomer(), to: OUR_NUMBER, text: EN_TEXT });
    expect((await post(harness, sms)).status).toBe(200);
    expect((await post(harness, sms)).status).toBe(200);
    const rows = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'sms_vonage' AND channel_message_id = $1`, [sms.messageId]);
    expect(rows.rows[0]?.n).toBe(1);
    await settle(harness);
  });

  it('delivers a reply on a retry when Vonage first answers 500, and marks it delivered on the delivery receipt', async () => {
    await settle(harness);
    const chat = smsChat(current, fake);
    fake.script(vonageAnswer.serverError(500));
    await chat.send('My online banking app keeps logging me out and I cannot pay my rent');
    await settle(harness);
    const attempts = fake.calls.filter((call) => call.params.to === chat.msisdn);
    expect(attempts.map((call) => call.status)).toEqual([500, 200]);
    const row = await harness.ombuds.database.query<{ id: string; status: string; attempts: number; vendor_message_id: string }>(
      `SELECT id, status, attempts, vendor_message_id FROM messages WHERE direction = 'outbound' AND channel = 'sms_vonage' AND reply_address LIKE $1 || '|%'`,
      [`+${chat.msisdn}`],
    );
    const sentId = attempts[1]?.messageIds.at(-1) ?? '';
    expect(row.rows[0]).toMatchObject({ status: 'sent', attempts: 2, vendor_message_id: sentId });
    const before = await inboundCount(harness);
    expect((await post(harness, deliveryReceipt({ messageId: sentId, msisdn: chat.msisdn, to: OUR_NUMBER, status: 'delivered' }))).status).toBe(200);
    await until('the delivered status', async () => {
      const result = await harness.ombuds.database.query<{ status: string }>(`SELECT status FROM messages WHERE id = $1`, [row.rows[0]?.id]);
      return result.rows[0]?.status === 'delivered' ? true : undefined;
    });
    expect(await inboundCount(harness)).toBe(before);
  });

  it('documents the mounted webhook and never logs the secrets', async () => {
    const openapi = await request(harness.ombuds.app).get('/v1/openapi.json');
    expect(Object.keys(openapi.body.paths as object)).toContain(PATH);
    const logs = harness.logLines.join('\n');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(API_SECRET);
  });
});

describe('Vonage SMS parts that never complete', () => {
  let fake: FakeVonage;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeVonage({ apiKey: API_KEY, apiSecret: API_SECRET });
    harness = await startHarness('embedded', { env: { ...ENV, VONAGE_API_ROOT: fake.apiRoot, VONAGE_CONCAT_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('hands the parts that came to intake after VONAGE_CONCAT_TIMEOUT_MS, marked incomplete, and the dialog answers them', async () => {
    const msisdn = newCustomer();
    const parts = concatenatedSms({ msisdn, to: OUR_NUMBER, text: `${EN_TEXT} ${EN_TEXT}`, ref: '7', size: 60 });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    // Every part but the second.
    for (const part of parts.filter((_part, index) => index !== 1)) expect((await post(harness, part)).status).toBe(200);
    await harness.ombuds.reconciler.reconcileOnce();
    expect(await inbound(harness, msisdn)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await harness.ombuds.reconciler.reconcileOnce();
    const rows = await inbound(harness, msisdn);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toContain('[…]');
    expect(rows[0]?.raw.concatenated).toMatchObject({ incomplete: true, received: parts.map((_part, index) => index + 1).filter((index) => index !== 2) });
    await settle(harness);
    expect(repliesTo(fake, msisdn).length).toBeGreaterThan(0);
    // The missing part, arriving after all, starts a group of its own rather than changing what was registered.
    expect((await post(harness, parts[1] ?? {})).status).toBe(200);
    expect(await inbound(harness, msisdn)).toHaveLength(1);
  });
});

describe('One customer across SMS providers', () => {
  let vonage: FakeVonage;
  let twilio: FakeTwilio;
  let harness: Harness;
  const TWILIO_SID = 'AC11112222333344445555666677778888';
  const TWILIO_TOKEN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

  beforeAll(async () => {
    vonage = await startFakeVonage({ apiKey: API_KEY, apiSecret: API_SECRET });
    twilio = await startFakeTwilio({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
    harness = await startHarness('embedded', {
      env: {
        ...ENV,
        VONAGE_API_ROOT: vonage.apiRoot,
        TWILIO_ACCOUNT_SID: TWILIO_SID,
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        PUBLIC_BASE_URL: 'https://complaints.bank.example',
        TWILIO_API_ROOT: twilio.apiRoot,
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await vonage.close();
    await twilio.close();
  });

  it('links the same phone number texting through Vonage and through Twilio to one customer', async () => {
    const msisdn = newCustomer();
    expect((await post(harness, inboundSms({ msisdn, to: OUR_NUMBER, text: EN_TEXT }))).status).toBe(200);
    const body = twilioForm(incomingSms({ from: `+${msisdn}`, to: '+447700900999', body: 'Following up on my earlier text.', accountSid: TWILIO_SID }));
    const twilioResponse = await request(harness.ombuds.app)
      .post('/webhooks/sms/twilio')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('X-Twilio-Signature', signTwilio(TWILIO_TOKEN, 'https://complaints.bank.example/webhooks/sms/twilio', body))
      .send(body);
    expect(twilioResponse.status).toBe(200);
    await settle(harness);
    const identities = await harness.ombuds.database.query<{ channel: string; customers: number }>(
      `SELECT i.channel, count(DISTINCT i.customer_id)::int AS customers FROM customer_identities i
       WHERE i.customer_id IN (SELECT customer_id FROM customer_identities WHERE address = $1) GROUP BY i.channel ORDER BY i.channel`,
      [`+${msisdn}`],
    );
    expect(identities.rows.map((row) => row.channel)).toEqual(expect.arrayContaining(['sms_twilio', 'sms_vonage']));
    const customers = await harness.ombuds.database.query<{ n: number }>(`SELECT count(DISTINCT customer_id)::int AS n FROM customer_identities WHERE address = $1`, [`+${msisdn}`]);
    expect(customers.rows[0]?.n).toBe(1);
  });
});

describe('Vonage SMS configuration', () => {
  const refused = (source: Record<string, string>): string => {
    try {
      loadEnv(source);
    } catch (error) {
      if (isOmbudsError(error) && error.code === 'CONFIG_INVALID') return error.message;
      throw error;
    }
    throw new Error('accepted');
  };

  it('is off without a signature secret, and needs the API key and secret with it', () => {
    const off = loadEnv({});
    expect(off.VONAGE_SIGNATURE_SECRET).toBeUndefined();
    expect(off).toMatchObject({ VONAGE_SIGNATURE_METHOD: 'md5hash', VONAGE_API_ROOT: 'https://rest.nexmo.com', VONAGE_CONCAT_TIMEOUT_MS: 300_000 });
    const missing = refused({ VONAGE_SIGNATURE_SECRET: SECRET });
    expect(missing).toContain('VONAGE_API_KEY');
    expect(missing).toContain('VONAGE_API_SECRET');
    expect(missing).not.toContain(SECRET);
    expect(refused({ VONAGE_API_KEY: API_KEY, VONAGE_API_SECRET: API_SECRET })).toContain('VONAGE_SIGNATURE_SECRET');
  });

  it('refuses an unknown signing method and a short secret, without echoing the secret', () => {
    expect(refused({ ...ENV, VONAGE_SIGNATURE_METHOD: 'sha384' })).toContain('VONAGE_SIGNATURE_METHOD');
    const short = refused({ ...ENV, VONAGE_SIGNATURE_SECRET: 'tooShort1' });
    expect(short).toContain('VONAGE_SIGNATURE_SECRET');
    expect(short).not.toContain('tooShort1');
  });
});
