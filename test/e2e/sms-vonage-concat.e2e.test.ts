/**
 * The parts of concatenated Vonage SMS split between two Ombuds processes on one PostgreSQL (each with its own
 * HTTP app, workers and BullMQ prefix, as two `ombuds start` behind a load balancer): whichever process receives
 * the last part joins the message, exactly once, even when parts and their redeliveries arrive at both at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { settle } from '../support/chat-driver.js';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { concatenatedSms, signedVonageParams, startFakeVonage, vonageBody, type FakeVonage } from '../support/fake-vonage.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';

const SECRET = 'e2e-vonage-concat-secret-0123456789';
const API_KEY = 'concat01';
const API_SECRET = 'concat-api-secret';
const OUR_NUMBER = '447700900777';
const TEXT =
  'I transferred 1,200 GBP to my landlord last Friday and the money left my account, but he says it never arrived. ' +
  'Your branch told me to wait five working days and it has now been eight. I need this sorted out before my rent is late.';

describe('Vonage SMS parts across two Ombuds processes on one PostgreSQL', () => {
  let fake: FakeVonage;
  let database: { url: string; drop: () => Promise<void> };
  let first: Harness;
  let second: Harness;

  beforeAll(async () => {
    fake = await startFakeVonage({ apiKey: API_KEY, apiSecret: API_SECRET });
    database = await createEmptyPostgresDatabase();
    const env = {
      VONAGE_SIGNATURE_SECRET: SECRET,
      VONAGE_API_KEY: API_KEY,
      VONAGE_API_SECRET: API_SECRET,
      VONAGE_API_ROOT: fake.apiRoot,
      RETRY_BASE_MS: '10',
      RETRY_MAX_MS: '200',
      TIMEZONE: 'Europe/London',
    };
    first = await startHarness('production', { databaseUrl: database.url, env });
    second = await startHarness('production', { databaseUrl: database.url, env });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await database.drop();
    await fake.close();
  });

  const post = (harness: Harness, params: Record<string, string>) => {
    const { body, contentType } = vonageBody(signedVonageParams(params, SECRET));
    return request(harness.ombuds.app).post('/webhooks/sms/vonage').set('Content-Type', contentType).send(body);
  };

  it('joins each message once, whichever process gets which part, with redeliveries to both at the same time', async () => {
    const customers = Array.from({ length: 6 }, (_value, index) => `4477009005${String(index).padStart(2, '0')}`);
    const messages = customers.map((msisdn, index) => ({ msisdn, parts: concatenatedSms({ msisdn, to: OUR_NUMBER, text: TEXT, ref: String(200 + index), size: 67 }) }));
    const deliveries = messages.flatMap(({ parts }) =>
      parts.flatMap((part, index) => [
        // Every part to one process, alternating; every other part redelivered to the other process as well.
        post(index % 2 === 0 ? first : second, part),
        ...(index % 2 === 0 ? [post(second, part)] : []),
      ]),
    );
    const answers = await Promise.all(deliveries);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    await settle(first);
    await settle(second);
    for (const { msisdn, parts } of messages) {
      const rows = await first.ombuds.database.query<{ text: string }>(
        `SELECT text FROM messages WHERE channel = 'sms_vonage' AND direction = 'inbound' AND sender->>'id' = $1`,
        [`+${msisdn}`],
      );
      expect(rows.rows.map((row) => row.text), msisdn).toEqual([TEXT]);
      expect(parts.length).toBeGreaterThanOrEqual(4);
      // One message, one dialog turn, one reply, from whichever process's workers took it.
      expect(fake.sent().filter((call) => call.params.to === msisdn)).toHaveLength(1);
    }
    const groups = await first.ombuds.database.query<{ waiting: number; joined: number }>(
      `SELECT count(*) FILTER (WHERE completed_at IS NULL)::int AS waiting, count(*) FILTER (WHERE completed_at IS NOT NULL AND NOT incomplete)::int AS joined FROM message_part_groups`,
    );
    expect(groups.rows[0]).toEqual({ waiting: 0, joined: messages.length });
  });
});
