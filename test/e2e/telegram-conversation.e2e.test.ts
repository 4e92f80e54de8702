/**
 * Whole intake-dialog conversations on Telegram, through `POST /webhooks/telegram` and the fake Bot API, on both
 * configurations: an English and a Chinese complaint told over several messages, the questions asked only for
 * what is missing (inline keyboards, a tapped button), the summary confirmed, the reference and due date given,
 * then a status question and a later message added to the complaint; hand-off on "转人工"; a card number sent
 * mid-dialog; a self-harm message; a duplicate delivery; the Bot API answering 500 then 200; a dialog that goes
 * quiet; and (on PostgreSQL + Redis) a process restart in the middle of a dialog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { chatCustomer, referenceIn, settle, textOf, type BotReply, type ChatChannel } from '../support/chat-driver.js';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { startFakeTelegram, telegramAnswer, type FakeTelegram } from '../support/fake-telegram.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../support/ombuds-harness.js';

const BOT_TOKEN = '7000000002:AAH-conversation_token-for-the-fake-api1';
const SECRET = 'e2e-telegram-conversation-secret_01';
const ENV = { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, RETRY_BASE_MS: '10', RETRY_MAX_MS: '200', OUTBOUND_TIMEOUT_MS: '3000', TIMEZONE: 'Asia/Shanghai' };

let nextChat = 880_000;
let nextUpdate = 1_000;

/** A Telegram private chat with one customer, speaking through the webhook and reading the fake's sendMessage calls. */
function telegramChat(harness: () => Harness, fake: FakeTelegram, languageCode: string): ChatChannel & { chat: number; post(update: object): Promise<number> } {
  const chat = (nextChat += 1);
  const from = { id: chat, is_bot: false, first_name: 'Test', language_code: languageCode };
  let messageId = 0;
  const post = async (update: object): Promise<number> => {
    const response = await request(harness().ombuds.app)
      .post('/webhooks/telegram')
      .set('Content-Type', 'application/json')
      .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
      .send(JSON.stringify(update));
    return response.status;
  };
  const expectOk = (status: number) => {
    if (status !== 200) throw new Error(`webhook answered ${String(status)}`);
  };
  return {
    chat,
    post,
    async send(text) {
      messageId += 1;
      nextUpdate += 1;
      expectOk(await post({ update_id: nextUpdate, message: { message_id: messageId, from, chat: { id: chat, type: 'private', first_name: 'Test' }, date: Math.floor(Date.now() / 1000), text } }));
    },
    async press(value) {
      nextUpdate += 1;
      expectOk(
        await post({
          update_id: nextUpdate,
          callback_query: { id: `cb${String(nextUpdate)}`, from, chat_instance: `ci${String(chat)}`, data: value, message: { message_id: messageId, chat: { id: chat, type: 'private' }, date: Math.floor(Date.now() / 1000), text: 'question' } },
        }),
      );
    },
    replies(): BotReply[] {
      return fake
        .callsOf('sendMessage')
        .filter((call) => Number(call.params.chat_id) === chat)
        .map((call) => {
          const markup = call.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
          return { text: String(call.params.text), quickReplies: (markup?.inline_keyboard ?? []).flat().map((button) => ({ label: button.text, value: button.callback_data })) };
        });
    },
  };
}

async function complaintOf(harness: Harness, reference: string) {
  const result = await harness.ombuds.database.query<{ id: string; stage: string; urgency: string; record: Record<string, unknown> }>(
    `SELECT id, stage, urgency, record FROM complaints WHERE reference = $1`,
    [reference],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no complaint ${reference}`);
  return row;
}

async function notificationsOf(harness: Harness, complaintId: string): Promise<{ kind: string; audience: string }[]> {
  const result = await harness.ombuds.database.query<{ kind: string; audience: string }>(`SELECT kind, audience FROM notifications WHERE complaint_id = $1 ORDER BY created_at`, [complaintId]);
  return result.rows;
}

describe.each(CONFIGURATIONS)('Telegram intake dialog (%s)', (configuration) => {
  let fake: FakeTelegram;
  let harness: Harness;
  const current = () => harness;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: BOT_TOKEN });
    harness = await startHarness(configuration, { env: { ...ENV, TELEGRAM_API_ROOT: fake.apiRoot, DIALOG_IDLE_TIMEOUT_MS: '600000' } });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('takes an English complaint over several messages, asks only what is missing, confirms and registers it', async () => {
    const channel = telegramChat(current, fake, 'en');
    const customer = chatCustomer(current, channel);

    const first = await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.');
    // Product and amount were said; the date was not: that is the question, with buttons.
    expect(textOf(first)).toMatch(/when did this happen/i);
    expect(first.at(-1)?.quickReplies.map((option) => option.value)).toEqual(['date:today', 'date:yesterday', 'skip']);
    expect(textOf(first)).not.toMatch(/how much|which product/i);
    // The bot was shown "typing…" while the turn ran.
    expect(fake.callsOf('sendChatAction').some((call) => Number(call.params.chat_id) === channel.chat && call.params.action === 'typing')).toBe(true);

    const second = await customer.pressTurn('date:yesterday');
    expect(textOf(second)).toMatch(/what would you like us to do/i);
    const third = await customer.turn('outcome:refund');
    expect(textOf(third)).toMatch(/Is this correct\?/);
    expect(textOf(third)).toContain('300 GBP');
    expect(referenceIn(third)).toBeUndefined();

    const registered = await customer.turn('yes');
    const reference = referenceIn(registered);
    expect(reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    expect(textOf(registered)).toMatch(/final response by \d{4}-\d{2}-\d{2}/);
    expect(textOf(registered)).toContain(`status ${String(reference)}`);

    const complaint = await complaintOf(harness, String(reference));
    expect(complaint.stage).toBe('registered');
    expect(complaint.record).toMatchObject({ product: 'cards', amount: { value: 300, currency: 'GBP' }, desiredOutcome: 'A refund', channels: ['telegram'] });
    expect(String(complaint.record.incidentDate)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Every message of the conversation is on the one complaint; the other shells were merged into it.
    const messages = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE complaint_id = $1 AND direction = 'inbound'`, [complaint.id]);
    expect(messages.rows[0]?.n).toBe(4);
    const merged = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE merged_into = $1`, [complaint.id]);
    expect(merged.rows[0]?.n).toBe(3);

    const status = await customer.turn(`status ${String(reference)}`);
    expect(textOf(status)).toContain(`Complaint ${String(reference)}: registered`);
    const later = await customer.turn('They have now charged me a third time.');
    expect(textOf(later)).toContain(`added this to your complaint ${String(reference)}`);
    expect((await notificationsOf(harness, complaint.id)).map((row) => row.kind)).toContain('complaint.customer_message');
    // Another customer's reference is never disclosed.
    const other = telegramChat(current, fake, 'en');
    expect(textOf(await chatCustomer(current, other).turn(`status ${String(reference)}`))).toMatch(/could not find/);
  });

  it('takes a Chinese complaint in Chinese and hands off at once on "转人工"', async () => {
    const customer = chatCustomer(current, telegramChat(current, fake, 'zh-hans'));
    const first = await customer.turn('我的储蓄卡上个月被扣了一笔200元的账户管理费，我从来没有同意过');
    expect(textOf(first)).toMatch(/[\u4e00-\u9fff]/);
    expect(textOf(first)).toMatch(/？/);
    const handoff = await customer.turn('转人工');
    const reference = referenceIn(handoff);
    expect(reference).toBeDefined();
    expect(textOf(handoff)).toMatch(/工作人员|人工/);
    const complaint = await complaintOf(harness, String(reference));
    expect(complaint.stage).toBe('registered');
    expect((await notificationsOf(harness, complaint.id)).map((row) => row.kind)).toContain('dialog.handoff');
    // Later messages wait for the member of staff, added to the complaint.
    const waiting = await customer.turn('请尽快处理');
    expect(textOf(waiting)).toMatch(/工作人员/);
    expect(referenceIn(waiting)).toBeUndefined();
  });

  it('warns about a card number sent mid-dialog and never stores it', async () => {
    const customer = chatCustomer(current, telegramChat(current, fake, 'en'));
    await customer.turn('A payment I never made left my account');
    const warned = await customer.turn('The card is 4111 1111 1111 1111 if that helps');
    expect(textOf(warned)).toMatch(/never send a full card number/i);
    const stored = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE text LIKE '%4111 1111%' OR raw::text LIKE '%4111 1111%'`);
    expect(stored.rows[0]?.n).toBe(0);
  });

  it('answers a self-harm message with the crisis line and a human, registering it as critical, never a question', async () => {
    const customer = chatCustomer(current, telegramChat(current, fake, 'en'));
    const replies = await customer.turn("The bank took all my savings and I can't go on, I want to end my life.");
    expect(textOf(replies)).toMatch(/Samaritans|crisis/i);
    expect(textOf(replies)).not.toMatch(/which product|when did this happen/i);
    const reference = referenceIn(replies);
    const complaint = await complaintOf(harness, String(reference));
    expect(complaint.urgency).toBe('critical');
    expect((await notificationsOf(harness, complaint.id)).map((row) => row.audience)).toContain('supervisors');
  });

  it('takes one turn for a redelivered update', async () => {
    const channel = telegramChat(current, fake, 'en');
    const customer = chatCustomer(current, channel);
    await customer.turn('hello');
    const update = { update_id: 77_000 + channel.chat, message: { message_id: 50, from: { id: channel.chat, is_bot: false, first_name: 'T' }, chat: { id: channel.chat, type: 'private' }, date: 1_764_460_800, text: 'My mortgage payment was taken twice this month' } };
    expect(await channel.post(update)).toBe(200);
    expect(await channel.post(update)).toBe(200);
    await settle(harness);
    const after = channel.replies();
    expect(after).toHaveLength(2);
    expect(after[1]?.text).toMatch(/\?/);
  });

  it('delivers a dialog reply after the Bot API answered 500', async () => {
    const channel = telegramChat(current, fake, 'en');
    const customer = chatCustomer(current, channel);
    fake.script('sendMessage', telegramAnswer.serverError(500));
    const replies = await customer.turn('My online banking app keeps logging me out and I cannot pay my rent');
    expect(replies.length).toBeGreaterThan(1);
    // The first attempt failed at the fake; the same text then arrived.
    expect(replies[0]?.text).toBe(replies[1]?.text);
    const failed = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'outbound' AND status = 'failed'`);
    expect(failed.rows[0]?.n).toBe(0);
  });
});

describe('Telegram intake dialog across processes', () => {
  let fake: FakeTelegram;
  let harness: Harness;
  const current = () => harness;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: BOT_TOKEN });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('goes on where it was after Ombuds restarts in the middle of a dialog (PostgreSQL + Redis)', async () => {
    const database = await createEmptyPostgresDatabase();
    try {
      harness = await startHarness('production', { databaseUrl: database.url, env: { ...ENV, TELEGRAM_API_ROOT: fake.apiRoot } });
      const customer = chatCustomer(current, telegramChat(current, fake, 'en'));
      const first = await customer.turn('I was charged a £40 late fee on my loan even though I paid on time.');
      expect(textOf(first)).toMatch(/\?/);
      await harness.close();
      // A new process with no memory of the conversation takes the next turn from the database.
      harness = await startHarness('production', { databaseUrl: database.url, env: { ...ENV, TELEGRAM_API_ROOT: fake.apiRoot } });
      let replies = await customer.turn('skip');
      for (let turn = 0; turn < 4 && !/Is this correct/.test(textOf(replies)); turn += 1) replies = await customer.turn('skip');
      expect(textOf(replies)).toContain('40 GBP');
      const registered = await customer.turn('yes');
      expect(referenceIn(registered)).toMatch(/^CMP-/);
      await harness.close();
    } finally {
      await database.drop();
    }
  });

  it('registers what was said when the customer goes quiet', async () => {
    harness = await startHarness('embedded', { env: { ...ENV, TELEGRAM_API_ROOT: fake.apiRoot, DIALOG_IDLE_TIMEOUT_MS: '1000' } });
    try {
      const channel = telegramChat(current, fake, 'en');
      const customer = chatCustomer(current, channel);
      const first = await customer.turn('My debit card was swallowed by your ATM on the high street');
      expect(referenceIn(first)).toBeUndefined();
      const deadline = Date.now() + 20_000;
      while (!referenceIn(channel.replies()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const all = channel.replies();
      expect(textOf(all)).toMatch(/had not heard from you/);
      const complaint = await complaintOf(harness, String(referenceIn(all)));
      expect(complaint.stage).toBe('registered');
    } finally {
      await harness.close();
    }
  });
});
