/**
 * The intake-dialog conversations every chat channel must hold (issue 5), through the channel's real HTTP endpoint
 * and its vendor fake, on both configurations: an English complaint told over several messages (questions only for
 * what is missing, the summary confirmed, the reference and due date given, a status question, a later message
 * added to the complaint, another customer refused the status); a Chinese one handed off at once on "转人工"; a
 * card number sent mid-dialog; a self-harm message; a duplicate delivery; the vendor answering 500 then 200; a
 * dialog that goes quiet; and, on PostgreSQL + Redis, a process restart in the middle of a dialog. Each channel's
 * `<channel>-conversation.e2e.test.ts` supplies a kit: its fake, its env and how a customer chats there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCustomer, referenceIn, settle, textOf, type ChatChannel } from './chat-driver.js';
import { createEmptyPostgresDatabase } from './databases.js';
import { CONFIGURATIONS, startHarness, type Harness } from './ombuds-harness.js';

export interface SuiteChat extends ChatChannel {
  /** Delivers the last message's request again, byte for byte (the vendor's redelivery). */
  repeatLast(): Promise<void>;
}

export interface KitFake {
  /** Ombuds environment that points the channel at this fake. */
  env: Record<string, string>;
  /** A new customer in a chat of their own. */
  newChat(harness: () => Harness, language: 'en' | 'zh'): SuiteChat;
  /** The vendor answers the next message send with a 500. */
  failNextSend(): void;
  /** Whether "typing…" was shown in this chat. */
  typingShown?(chat: SuiteChat): boolean;
  close(): Promise<void>;
}

export interface ConversationKit {
  /** The channel name (messages.channel). */
  channel: string;
  /** The channel shows quick-reply buttons (the date question carries today / yesterday / skip). */
  quickReplies: boolean;
  startFake(): Promise<KitFake>;
}

const SETTINGS = { RETRY_BASE_MS: '10', RETRY_MAX_MS: '200', OUTBOUND_TIMEOUT_MS: '3000', TIMEZONE: 'Asia/Shanghai' };

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

export function runConversationSuite(kit: ConversationKit): void {
  describe.each(CONFIGURATIONS)(`${kit.channel}: intake dialog conversations (%s)`, (configuration) => {
    let fake: KitFake;
    let harness: Harness;
    const current = () => harness;

    beforeAll(async () => {
      fake = await kit.startFake();
      harness = await startHarness(configuration, { env: { ...SETTINGS, ...fake.env, DIALOG_IDLE_TIMEOUT_MS: '600000' } });
    });
    afterAll(async () => {
      await harness.close();
      await fake.close();
    });

    it('takes an English complaint over several messages, asks only what is missing, confirms and registers it', async () => {
      const chat = fake.newChat(current, 'en');
      const customer = chatCustomer(current, chat);

      const first = await customer.turn('My credit card was charged twice for the same £300 purchase at a supermarket.');
      // Product and amount were said; the date was not: that is the question (with buttons where the channel has them).
      expect(textOf(first)).toMatch(/when did this happen/i);
      expect(textOf(first)).not.toMatch(/how much|which product/i);
      if (kit.quickReplies) expect(first.at(-1)?.quickReplies.map((option) => option.value)).toEqual(['date:today', 'date:yesterday', 'skip']);
      if (fake.typingShown) expect(fake.typingShown(chat)).toBe(true);

      const second = kit.quickReplies ? await customer.pressTurn('date:yesterday') : await customer.turn('yesterday');
      expect(textOf(second)).toMatch(/what would you like us to do/i);
      const third = await customer.turn(kit.quickReplies ? 'outcome:refund' : 'A refund of the second charge');
      expect(textOf(third)).toMatch(/Is this correct\?/);
      expect(textOf(third)).toContain('300 GBP');
      expect(referenceIn(third)).toBeUndefined();

      const registered = await customer.turn('yes');
      const reference = String(referenceIn(registered));
      expect(reference).toMatch(/^CMP-\d{4}-\d{6}$/);
      expect(textOf(registered)).toMatch(/final response by \d{4}-\d{2}-\d{2}/);
      expect(textOf(registered)).toContain(`status ${reference}`);

      const complaint = await complaintOf(harness, reference);
      expect(complaint.stage).toBe('registered');
      expect(complaint.record).toMatchObject({ product: 'cards', amount: { value: 300, currency: 'GBP' }, channels: [kit.channel] });
      expect(String(complaint.record.desiredOutcome)).toMatch(/refund/i);
      expect(String(complaint.record.incidentDate)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // Every message of the conversation is on the one complaint; the other shells were merged into it.
      const messages = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE complaint_id = $1 AND direction = 'inbound'`, [complaint.id]);
      expect(messages.rows[0]?.n).toBe(4);
      const merged = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE merged_into = $1`, [complaint.id]);
      expect(merged.rows[0]?.n).toBe(3);

      const status = await customer.turn(`status ${reference}`);
      expect(textOf(status)).toContain(`Complaint ${reference}: registered`);
      const later = await customer.turn('They have now charged me a third time.');
      expect(textOf(later)).toContain(`added this to your complaint ${reference}`);
      expect((await notificationsOf(harness, complaint.id)).map((row) => row.kind)).toContain('complaint.customer_message');
      // Another customer is never told about it.
      const stranger = chatCustomer(current, fake.newChat(current, 'en'));
      expect(textOf(await stranger.turn(`status ${reference}`))).toMatch(/could not find/);
    });

    it('takes a Chinese complaint in Chinese and hands off at once on "转人工"', async () => {
      const customer = chatCustomer(current, fake.newChat(current, 'zh'));
      const first = await customer.turn('我的储蓄卡上个月被扣了一笔200元的账户管理费，我从来没有同意过');
      expect(textOf(first)).toMatch(/[\u4e00-\u9fff]/);
      expect(textOf(first)).toMatch(/？/);
      const handoff = await customer.turn('转人工');
      const reference = referenceIn(handoff);
      expect(reference).toBeDefined();
      expect(textOf(handoff)).toMatch(/工作人员/);
      const complaint = await complaintOf(harness, String(reference));
      expect(complaint.stage).toBe('registered');
      expect((await notificationsOf(harness, complaint.id)).map((row) => row.kind)).toContain('dialog.handoff');
      // Later messages wait for the member of staff, added to the complaint.
      const waiting = await customer.turn('请尽快处理');
      expect(textOf(waiting)).toMatch(/工作人员/);
      expect(referenceIn(waiting)).toBeUndefined();
    });

    it('warns about a card number sent mid-dialog and never stores it', async () => {
      const customer = chatCustomer(current, fake.newChat(current, 'en'));
      await customer.turn('A payment I never made left my account');
      const warned = await customer.turn('The card is 4111 1111 1111 1111 if that helps');
      expect(textOf(warned)).toMatch(/never send a full card number/i);
      const stored = await harness.ombuds.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE text LIKE '%4111 1111%' OR raw::text LIKE '%4111 1111%'`);
      expect(stored.rows[0]?.n).toBe(0);
    });

    it('answers a self-harm message with the crisis line and a human, registering it as critical, never a question', async () => {
      const customer = chatCustomer(current, fake.newChat(current, 'en'));
      const replies = await customer.turn("The bank took all my savings and I can't go on, I want to end my life.");
      expect(textOf(replies)).toMatch(/Samaritans|crisis/i);
      expect(textOf(replies)).not.toMatch(/which product|when did this happen/i);
      const complaint = await complaintOf(harness, String(referenceIn(replies)));
      expect(complaint.urgency).toBe('critical');
      expect((await notificationsOf(harness, complaint.id)).map((row) => row.audience)).toContain('supervisors');
    });

    it('takes one turn for a redelivered message', async () => {
      const chat = fake.newChat(current, 'en');
      const customer = chatCustomer(current, chat);
      await customer.turn('hello');
      const question = await customer.turn('My mortgage payment was taken twice this month');
      expect(question).toHaveLength(1);
      await chat.repeatLast();
      await settle(harness);
      expect(chat.replies()).toHaveLength(2);
    });

    it('delivers a dialog reply after the vendor answered 500', async () => {
      const customer = chatCustomer(current, fake.newChat(current, 'en'));
      fake.failNextSend();
      const replies = await customer.turn('My online banking app keeps logging me out and I cannot pay my rent');
      expect(textOf(replies)).toMatch(/\?/);
      const rows = await harness.ombuds.database.query<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM messages WHERE direction = 'outbound' AND channel = $1 AND (status = 'failed' OR attempts > 1)`,
        [kit.channel],
      );
      expect(rows.rows.map((row) => row.status)).toEqual(['sent']);
      expect(rows.rows[0]?.attempts).toBe(2);
    });
  });

  describe(`${kit.channel}: intake dialog across processes and time`, () => {
    let fake: KitFake;
    let harness: Harness;
    const current = () => harness;

    beforeAll(async () => {
      fake = await kit.startFake();
    });
    afterAll(async () => {
      await fake.close();
    });

    it('goes on where it was after Ombuds restarts in the middle of a dialog (PostgreSQL + Redis)', async () => {
      const database = await createEmptyPostgresDatabase();
      try {
        harness = await startHarness('production', { databaseUrl: database.url, env: { ...SETTINGS, ...fake.env } });
        const customer = chatCustomer(current, fake.newChat(current, 'en'));
        const first = await customer.turn('I was charged a £40 late fee on my loan even though I paid on time.');
        expect(textOf(first)).toMatch(/\?/);
        await harness.close();
        // A new process with no memory of the conversation takes the next turn from the database.
        harness = await startHarness('production', { databaseUrl: database.url, env: { ...SETTINGS, ...fake.env } });
        let replies = await customer.turn('skip');
        for (let turn = 0; turn < 4 && !/Is this correct/.test(textOf(replies)); turn += 1) replies = await customer.turn('skip');
        expect(textOf(replies)).toContain('40 GBP');
        expect(referenceIn(await customer.turn('yes'))).toMatch(/^CMP-/);
        await harness.close();
      } finally {
        await database.drop();
      }
    });

    it('registers what was said when the customer goes quiet', async () => {
      harness = await startHarness('embedded', { env: { ...SETTINGS, ...fake.env, DIALOG_IDLE_TIMEOUT_MS: '1000' } });
      try {
        const chat = fake.newChat(current, 'en');
        const first = await chatCustomer(current, chat).turn('My debit card was swallowed by your ATM on the high street');
        expect(referenceIn(first)).toBeUndefined();
        const deadline = Date.now() + 20_000;
        while (!referenceIn(chat.replies()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(textOf(chat.replies())).toMatch(/had not heard from you/);
        expect((await complaintOf(harness, String(referenceIn(chat.replies())))).stage).toBe('registered');
      } finally {
        await harness.close();
      }
    });
  });
}
