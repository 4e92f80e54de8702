/**
 * Telegram transport end to end, on both configurations, against a local fake of the Bot API: an update POSTed to
 * `/webhooks/telegram` with the secret-token header is stored and answered through `sendMessage` (a critical
 * message is registered at once and acknowledged with its CMP reference; others start the intake dialog, whose
 * conversations telegram-conversation.e2e.test.ts plays); unauthentic and garbage requests store nothing; a
 * redelivered update is one message; a failed `sendMessage` is retried. In polling mode the same happens for
 * updates from `getUpdates`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { isOmbudsError } from '../../src/shared/errors.js';
import { startFakeTelegram, telegramAnswer, telegramFixtureUpdates, type FakeTelegram, type TelegramCall } from '../support/fake-telegram.js';
import { readJsonFixture } from '../support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const BOT_TOKEN = '7000000001:AAH-test_token-for-the-fake-bot-api-0123';
const SECRET = 'e2e-telegram-secret_0123456789';
const ZH_TEXT = String(readJsonFixture('api/api-3-zh-fraud-in-progress.json').text);
const EN_TEXT = String(readJsonFixture('api/api-2-en-account-blocked.json').text);

/** A project fixture with its message id (and text) changed in memory, as a new update. */
function variant(fixture: string, updateId: number, messageId: number, text?: string): Record<string, unknown> {
  const update = readJsonFixture(`telegram/${fixture}`);
  const message = update.message as Record<string, unknown>;
  return { ...update, update_id: updateId, message: { ...message, message_id: messageId, ...(text === undefined ? {} : { text }) } };
}

function chatOf(update: Record<string, unknown>): string {
  const chat = (update.message as { chat: { id: number } }).chat;
  return String(chat.id);
}

function channelMessageIdOf(update: Record<string, unknown>): string {
  return `${chatOf(update)}:${String((update.message as { message_id: number }).message_id)}`;
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

async function inboundCount(harness: Harness): Promise<number> {
  const result = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE channel = 'telegram' AND direction = 'inbound'`);
  return result.rows[0]?.n ?? -1;
}

/** The complaint reference of a stored Telegram message, once its acknowledgement is sent. */
async function acknowledged(harness: Harness, channelMessageId: string): Promise<{ reference: string; urgency: string | null }> {
  return until(`the acknowledgement of ${channelMessageId}`, async () => {
    // Every reply of the complaint (a critical message has the hand-off and then the acknowledgement).
    const result = await harness.ombuds.database.query<{ reference: string; urgency: string | null; all_sent: boolean; any_failed: boolean }>(
      `SELECT c.reference, c.urgency, bool_and(o.status = 'sent') AS all_sent, bool_or(o.status = 'failed') AS any_failed
       FROM messages m JOIN complaints c ON c.id = m.complaint_id
         JOIN messages o ON o.complaint_id = c.id AND o.direction = 'outbound'
       WHERE m.channel = 'telegram' AND m.direction = 'inbound' AND m.channel_message_id = $1
       GROUP BY c.reference, c.urgency`,
      [channelMessageId],
    );
    const row = result.rows[0];
    if (row?.any_failed) throw new Error(`acknowledgement of ${channelMessageId} failed`);
    return row?.all_sent ? { reference: row.reference, urgency: row.urgency } : undefined;
  });
}

function sentTo(calls: TelegramCall[], chat: string, reference: string): TelegramCall | undefined {
  return calls.find((call) => String(call.params.chat_id) === chat && String(call.params.text).includes(reference));
}

describe.each(CONFIGURATIONS)('Telegram channel end to end, webhook mode (%s)', (configuration) => {
  let fake: FakeTelegram;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: BOT_TOKEN });
    harness = await startHarness(configuration, {
      env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, RETRY_BASE_MS: '10', RETRY_MAX_MS: '200', OUTBOUND_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  const post = (body: Buffer | string | Record<string, unknown>, secret: string | null = SECRET) => {
    const call = request(harness.ombuds.app)
      .post('/webhooks/telegram')
      .set('Content-Type', 'application/json')
      .send(Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body));
    return secret === null ? call : call.set('X-Telegram-Bot-Api-Secret-Token', secret);
  };

  it('registers a critical Chinese message at once with its reference, and answers an English one with the dialog\'s first question', async () => {
    const zh = variant('telegram-1.json', 20_001, 5_001, ZH_TEXT);
    const en = variant('telegram-2.json', 20_002, 5_002, EN_TEXT);
    for (const update of [zh, en]) {
      const response = await post(update);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    }
    await harness.waitForIdle();
    const zhAck = await acknowledged(harness, channelMessageIdOf(zh));
    expect(zhAck.urgency).toBe('critical');
    const calls = fake.callsOf('sendMessage');
    const zhCall = sentTo(calls, chatOf(zh), zhAck.reference);
    expect(zhCall?.token).toBe(BOT_TOKEN);
    expect(String(zhCall?.params.text)).toMatch(/[\u4e00-\u9fff]/);
    expect(zhAck.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    // The English message is not critical: the dialog asks for what it still needs, in English, before registering.
    const enReply = await until('the dialog question', () =>
      Promise.resolve(fake.callsOf('sendMessage').find((call) => String(call.params.chat_id) === chatOf(en))),
    );
    expect(String(enReply.params.text)).toMatch(/\?/);
    expect(String(enReply.params.text)).not.toMatch(/[\u4e00-\u9fff]|CMP-/);
  });

  it('takes every Telegram fixture as Telegram sends it (a bare Message wrapped in an Update)', async () => {
    const before = await inboundCount(harness);
    const fixtures = telegramFixtureUpdates();
    for (const { name, body } of fixtures) {
      const response = await post(body);
      expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(200);
    }
    expect(await inboundCount(harness)).toBe(before + fixtures.length);
    await harness.waitForIdle();
  });

  it('refuses a wrong or missing secret with 401 and garbage with 400, storing nothing', async () => {
    const before = await inboundCount(harness);
    const update = variant('telegram-2.json', 20_010, 5_010, EN_TEXT);
    const wrong = await post(update, 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('SIGNATURE_INVALID');
    expect((await post(update, null)).status).toBe(401);
    for (const garbage of ['{"update_id":', '[1,2,3]', '{"update_id":"x","message":{"text":1}}']) {
      const response = await post(garbage);
      expect(response.status, garbage).toBe(400);
      expect(response.body.error.code).toBe('PAYLOAD_INVALID');
    }
    expect(await inboundCount(harness)).toBe(before);
  });

  it('stores text PostgreSQL cannot hold as sent (NUL, an unpaired surrogate) with U+FFFD instead of failing', async () => {
    const update = variant('telegram-2.json', 20_040, 5_040, 'My card\u0000 was charged twice \uD83D');
    expect((await post(JSON.stringify(update))).status).toBe(200);
    const stored = await harness.ombuds.database.query<{ text: string }>(`SELECT text FROM messages WHERE channel = 'telegram' AND channel_message_id = $1`, [channelMessageIdOf(update)]);
    expect(stored.rows[0]?.text).toBe('My card\uFFFD was charged twice \uFFFD');
    await harness.waitForIdle();
  });

  it('stores a redelivered update once: one message, one complaint', async () => {
    const update = variant('telegram-2.json', 20_020, 5_020, EN_TEXT);
    const [first, second] = [await post(update), await post(update)];
    expect([first.status, second.status]).toEqual([200, 200]);
    const rows = await harness.ombuds.database.query<{ n: number; complaints: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT complaint_id)::int AS complaints FROM messages WHERE channel = 'telegram' AND channel_message_id = $1`,
      [channelMessageIdOf(update)],
    );
    expect(rows.rows[0]).toEqual({ n: 1, complaints: 1 });
    await harness.waitForIdle();
  });

  it('delivers the acknowledgement on a retry when sendMessage first answers 500', async () => {
    // Earlier acknowledgements first, so the scripted 500 answers this one.
    await harness.waitForIdle();
    await until('earlier acknowledgements', async () => {
      const busy = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound' AND status IN ('queued', 'retrying')`);
      return busy.rows[0]?.n === 0 ? true : undefined;
    });
    const update = variant('telegram-1.json', 20_030, 5_030, ZH_TEXT);
    const chat = chatOf(update);
    fake.script('sendMessage', telegramAnswer.serverError(500));
    expect((await post(update)).status).toBe(200);
    const { reference } = await acknowledged(harness, channelMessageIdOf(update));
    await until('every reply delivered', async () => {
      const busy = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound' AND status IN ('queued', 'retrying')`);
      return busy.rows[0]?.n === 0 ? true : undefined;
    });
    // The scripted 500 answered one attempt; that message went again and arrived, and nothing failed.
    const rows = await harness.ombuds.database.query<{ text: string; attempts: number; status: string }>(
      `SELECT o.text, o.attempts, o.status FROM messages o JOIN complaints c ON c.id = o.complaint_id WHERE c.reference = $1 AND o.direction = 'outbound'`,
      [reference],
    );
    expect(rows.rows.map((row) => row.status)).toEqual(rows.rows.map(() => 'sent'));
    const retried = rows.rows.filter((row) => row.attempts === 2);
    expect(retried).toHaveLength(1);
    const calls = fake.callsOf('sendMessage').filter((call) => String(call.params.chat_id) === chat && call.params.text === retried[0]?.text);
    expect(calls).toHaveLength(2);
  });

  it('documents the mounted webhook, mounts no Bot Framework endpoint, and never logs the token or the secret', async () => {
    const openapi = await request(harness.ombuds.app).get('/v1/openapi.json');
    expect(Object.keys(openapi.body.paths as object)).toContain('/webhooks/telegram');
    expect(Object.keys(openapi.body.paths as object)).not.toContain('/api/messages');
    expect((await request(harness.ombuds.app).post('/api/messages').send({})).status).toBe(404);
    const logs = harness.logLines.join('\n');
    expect(logs).not.toContain(BOT_TOKEN.split(':')[1]);
    expect(logs).not.toContain(SECRET);
  });
});

describe.each(CONFIGURATIONS)('Telegram channel end to end, polling mode (%s)', (configuration) => {
  let fake: FakeTelegram;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: BOT_TOKEN });
    harness = await startHarness(configuration, { env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: fake.apiRoot } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('turns an update from getUpdates into an acknowledged complaint, and mounts no webhook', async () => {
    const update = variant('telegram-1.json', 30_001, 6_001, ZH_TEXT);
    fake.pushUpdates(update);
    const { reference } = await acknowledged(harness, channelMessageIdOf(update));
    expect(sentTo(fake.callsOf('sendMessage'), chatOf(update), reference)).toBeDefined();
    // The next poll confirms the update (offset past it): it is not fetched and stored again.
    await until('the confirming getUpdates', () =>
      Promise.resolve(fake.callsOf('getUpdates').some((call) => Number(call.params.offset) === 30_002) ? true : undefined),
    );
    expect(await inboundCount(harness)).toBe(1);
    expect((await post404(harness)).status).toBe(404);
  });
});

function post404(harness: Harness) {
  return request(harness.ombuds.app).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send({});
}

describe('Telegram configuration', () => {
  const refused = (source: Record<string, string>): string => {
    try {
      loadEnv(source);
    } catch (error) {
      if (isOmbudsError(error) && error.code === 'CONFIG_INVALID') return error.message;
      throw error;
    }
    throw new Error('accepted');
  };

  it('is off without a token, webhook mode by default, and needs the secret in webhook mode only', () => {
    const off = loadEnv({});
    expect(off.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(off).toMatchObject({ TELEGRAM_MODE: 'webhook', TELEGRAM_API_ROOT: 'https://api.telegram.org' });
    expect(refused({ TELEGRAM_BOT_TOKEN: BOT_TOKEN })).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(loadEnv({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'polling' }).TELEGRAM_WEBHOOK_SECRET).toBeUndefined();
  });

  it.each([
    ['TELEGRAM_BOT_TOKEN', 'not-a-token'],
    ['TELEGRAM_BOT_TOKEN', '123:short'],
    ['TELEGRAM_WEBHOOK_SECRET', 'has spaces in it'],
    ['TELEGRAM_WEBHOOK_SECRET', 'x'.repeat(257)],
    ['TELEGRAM_MODE', 'push'],
    ['TELEGRAM_API_ROOT', 'api.telegram.org'],
  ])('refuses %s=%s and names it, without echoing a secret', (name, value) => {
    const message = refused({ TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, [name]: value });
    expect(message).toContain(name);
    expect(message).not.toContain(SECRET);
    if (name !== 'TELEGRAM_MODE' && name !== 'TELEGRAM_API_ROOT') expect(message).not.toContain(value);
  });
});
