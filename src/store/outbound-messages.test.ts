import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { insertInboundBatch, type NewInboundMessage } from './inbound-messages.js';
import {
  applyDeliveryReceipt,
  findComplaintConversation,
  findOutboundMessage,
  insertOutboundMessage,
  leaseOutbound,
  listDueOutbound,
  lockOutboundForDelivery,
  markOutboundFailed,
  markOutboundRetrying,
  markOutboundSent,
  toLanguage,
  type NewOutboundMessage,
} from './outbound-messages.js';

const AT = new Date('2026-12-01T08:00:00.000Z');

function inbound(complaintId: string, options: { channel?: string; conversationKey?: string; replyAddress?: string; receivedAt?: Date } = {}): NewInboundMessage {
  const receivedAt = options.receivedAt ?? AT;
  return {
    messageId: randomUUID(),
    complaintId,
    channel: options.channel ?? 'api',
    channelMessageId: `m-${randomUUID()}`,
    conversationKey: options.conversationKey ?? 'app-1:conversation-1',
    sender: { id: 'app-1:customer-1' },
    text: 'My card was charged twice',
    attachments: [],
    fields: null,
    locale: null,
    replyAddress: options.replyAddress ?? 'app-1:conversation-1',
    raw: null,
    sentAt: receivedAt,
    receivedAt,
    identifierHashes: [],
    textContacts: [],
  };
}

describe('toLanguage', () => {
  it('maps locales to the languages templates speak', () => {
    expect(toLanguage('zh')).toBe('zh');
    expect(toLanguage('zh-Hans-CN')).toBe('zh');
    expect(toLanguage('EN_gb')).toBe('en');
    expect(toLanguage('fr')).toBe('und');
    expect(toLanguage('english')).toBe('und');
    expect(toLanguage(null)).toBe('und');
  });
});

describe.each(['pglite', 'postgres'] as const)('outbound messages on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  async function complaint(): Promise<string> {
    const complaintId = randomUUID();
    await insertInboundBatch(test.database, [inbound(complaintId)], 'Asia/Shanghai');
    return complaintId;
  }

  function outbound(complaintId: string, overrides: Partial<NewOutboundMessage> = {}): NewOutboundMessage {
    return {
      id: randomUUID(),
      complaintId,
      conversationKey: 'app-1:conversation-1',
      channel: 'api',
      replyAddress: 'app-1:conversation-1',
      text: 'We have registered your complaint.',
      quickReplies: [{ label: 'Yes', value: 'yes' }],
      purpose: 'acknowledgement',
      language: 'en',
      sentBy: 'system:handling',
      at: AT,
      ...overrides,
    };
  }

  it('finds the conversation of the latest inbound message, with the reference and language', async () => {
    const complaintId = randomUUID();
    const [first] = await insertInboundBatch(test.database, [inbound(complaintId)], 'Asia/Shanghai');
    const later = { ...inbound(complaintId, { channel: 'telegram', conversationKey: 'chat-9', replyAddress: '9', receivedAt: new Date(AT.getTime() + 60_000) }) };
    await test.database.query(
      `INSERT INTO messages (id, direction, channel, channel_message_id, conversation_key, complaint_id, sender, text, reply_address, sent_at, received_at, status)
       VALUES ($1, 'inbound', 'telegram', $2, 'chat-9', $3, '{}'::jsonb, 'again', '9', $4, $4, 'processed')`,
      [later.messageId, later.channelMessageId, complaintId, later.receivedAt],
    );
    const found = await findComplaintConversation(test.database, complaintId);
    expect(found).toEqual({ channel: 'telegram', conversationKey: 'chat-9', replyAddress: '9', reference: first?.reference, language: 'und' });

    await test.database.query(`UPDATE complaints SET record = '{"customer":{"language":"zh"}}'::jsonb WHERE id = $1`, [complaintId]);
    expect((await findComplaintConversation(test.database, complaintId))?.language).toBe('zh');
  });

  it('answers on the conversation of a complaint merged into this one, and the customer language as fallback', async () => {
    const target = await complaint();
    const shell = randomUUID();
    await insertInboundBatch(test.database, [inbound(shell, { channel: 'wechat', conversationKey: 'wx-1', replyAddress: 'openid-1', receivedAt: new Date(AT.getTime() + 3_600_000) })], 'Asia/Shanghai');
    await test.database.query('UPDATE complaints SET merged_into = $1 WHERE id = $2', [target, shell]);
    const customerId = randomUUID();
    await test.database.query(`INSERT INTO customers (id, language) VALUES ($1, 'en-GB')`, [customerId]);
    await test.database.query('UPDATE complaints SET customer_id = $1 WHERE id = $2', [customerId, target]);
    expect(await findComplaintConversation(test.database, target)).toMatchObject({ channel: 'wechat', conversationKey: 'wx-1', replyAddress: 'openid-1', language: 'en' });
  });

  it('has no conversation for an unknown complaint or one without inbound messages', async () => {
    expect(await findComplaintConversation(test.database, randomUUID())).toBeNull();
    const bare = randomUUID();
    await test.database.query(`INSERT INTO complaints (id, reference, stage, channel, received_at) VALUES ($1, $2, 'registered', 'api', now())`, [
      bare,
      `CMP-2026-8${Math.floor(Math.random() * 1e8)}`,
    ]);
    expect(await findComplaintConversation(test.database, bare)).toBeNull();
  });

  it('inserts a queued row and locks it with its reference', async () => {
    const complaintId = await complaint();
    const message = outbound(complaintId);
    await test.database.transaction((tx) => insertOutboundMessage(tx, message));
    const stored = await test.database.query(
      `SELECT direction, status, channel_message_id, sender, locale, purpose, attempts, next_attempt_at, sent_at, received_at, sent_by FROM messages WHERE id = $1`,
      [message.id],
    );
    expect(stored.rows[0]).toEqual({
      direction: 'outbound',
      status: 'queued',
      channel_message_id: `out-${message.id}`,
      sender: { id: 'ombuds' },
      locale: 'en',
      purpose: 'acknowledgement',
      attempts: 0,
      next_attempt_at: AT,
      sent_at: AT,
      received_at: AT,
      sent_by: 'system:handling',
    });
    const locked = await test.database.transaction((tx) => lockOutboundForDelivery(tx, message.id));
    expect(locked).toMatchObject({
      id: message.id,
      complaintId,
      complaintReference: expect.stringMatching(/^CMP-\d{4}-\d{6}$/),
      channel: 'api',
      replyAddress: 'app-1:conversation-1',
      quickReplies: [{ label: 'Yes', value: 'yes' }],
      language: 'en',
      status: 'queued',
      attempts: 0,
    });
  });

  it('refuses a second row with the same id and does not lock inbound rows or unknown ids', async () => {
    const complaintId = await complaint();
    const message = outbound(complaintId);
    await insertOutboundMessage(test.database, message);
    await expect(insertOutboundMessage(test.database, message)).rejects.toThrow();
    const inboundRow = await test.database.query<{ id: string }>(`SELECT id FROM messages WHERE complaint_id = $1 AND direction = 'inbound'`, [complaintId]);
    expect(await lockOutboundForDelivery(test.database, inboundRow.rows[0]?.id ?? '')).toBeNull();
    expect(await lockOutboundForDelivery(test.database, randomUUID())).toBeNull();
  });

  it('records retries, sending and failure, counting attempts', async () => {
    const complaintId = await complaint();
    const message = outbound(complaintId);
    await insertOutboundMessage(test.database, message);
    const next = new Date(AT.getTime() + 5_000);
    await markOutboundRetrying(test.database, message.id, { error: 'HTTP 503'.padEnd(5000, '!'), nextAttemptAt: next });
    let row = await findOutboundMessage(test.database, message.id);
    expect(row).toMatchObject({ status: 'retrying', attempts: 1, nextAttemptAt: next });
    expect(row?.lastError?.length).toBe(1000);
    await markOutboundSent(test.database, message.id, { vendorMessageId: 'v-1', at: next });
    row = await findOutboundMessage(test.database, message.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, vendorMessageId: 'v-1', nextAttemptAt: null, lastError: null });

    const other = outbound(complaintId);
    await insertOutboundMessage(test.database, other);
    await markOutboundFailed(test.database, other.id, { error: 'HTTP 400', at: next });
    expect(await findOutboundMessage(test.database, other.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400', nextAttemptAt: null });
  });

  it('lists due rows in pages with their next attempt number, and leases keep a row off the list', async () => {
    const complaintId = await complaint();
    const now = new Date('2030-01-01T00:00:00.000Z');
    const base = new Date(now.getTime() - 100_000);
    const rows = [outbound(complaintId, { at: base }), outbound(complaintId, { at: new Date(base.getTime() + 1) }), outbound(complaintId, { at: new Date(base.getTime() + 2) })];
    for (const row of rows) await insertOutboundMessage(test.database, row);
    const future = outbound(complaintId, { at: new Date(now.getTime() + 1) });
    await insertOutboundMessage(test.database, future);
    const sent = outbound(complaintId, { at: base });
    await insertOutboundMessage(test.database, sent);
    await markOutboundSent(test.database, sent.id, { at: base });
    await markOutboundRetrying(test.database, rows[1]?.id ?? '', { error: 'HTTP 500', nextAttemptAt: new Date(base.getTime() + 1) });

    const mine = new Set([...rows, future, sent].map((row) => row.id));
    const all = (await listDueOutbound(test.database, { now, limit: 1000 })).filter((row) => mine.has(row.id));
    expect(all.map((row) => [row.id, row.nextAttempt])).toEqual([
      [rows[0]?.id, 1],
      [rows[1]?.id, 2],
      [rows[2]?.id, 1],
    ]);
    // Keyset pages of two walk the same list without repeats or gaps.
    const everyDue = await listDueOutbound(test.database, { now, limit: 1000 });
    const walked: string[] = [];
    let after: { nextAttemptAt: Date; id: string } | undefined;
    for (;;) {
      const page = await listDueOutbound(test.database, { now, limit: 2, ...(after ? { after } : {}) });
      walked.push(...page.map((row) => row.id));
      const last = page[page.length - 1];
      if (!last || page.length < 2) break;
      after = { nextAttemptAt: last.nextAttemptAt, id: last.id };
    }
    expect(walked).toEqual(everyDue.map((row) => row.id));
    expect(new Set(walked).size).toBe(walked.length);

    await leaseOutbound(test.database, rows[0]?.id ?? '', new Date(now.getTime() + 60_000));
    await leaseOutbound(test.database, sent.id, base);
    const leased = (await listDueOutbound(test.database, { now, limit: 1000 })).filter((row) => mine.has(row.id));
    expect(leased.map((row) => row.id)).toEqual([rows[1]?.id, rows[2]?.id]);
    expect((await findOutboundMessage(test.database, sent.id))?.nextAttemptAt).toBeNull();
  });

  it('applies delivery receipts forwards only', async () => {
    const complaintId = await complaint();
    const message = outbound(complaintId, { channel: 'whatsapp' });
    await insertOutboundMessage(test.database, message);
    const vendorId = `wamid.${randomUUID()}`;
    await markOutboundSent(test.database, message.id, { vendorMessageId: vendorId, at: AT });
    const later = new Date(AT.getTime() + 1000);

    expect(await applyDeliveryReceipt(test.database, { channel: 'whatsapp', vendorMessageId: vendorId, status: 'delivered', at: later })).toEqual({
      messageId: message.id,
      complaintId,
      status: 'delivered',
      applied: true,
    });
    expect(await applyDeliveryReceipt(test.database, { channel: 'whatsapp', vendorMessageId: vendorId, status: 'read', at: new Date(later.getTime() + 1) })).toMatchObject({ status: 'read', applied: true });
    // Late or repeated receipts change nothing.
    expect(await applyDeliveryReceipt(test.database, { channel: 'whatsapp', vendorMessageId: vendorId, status: 'delivered', at: new Date(later.getTime() + 2) })).toMatchObject({ status: 'read', applied: false });
    expect(await applyDeliveryReceipt(test.database, { channel: 'whatsapp', vendorMessageId: vendorId, status: 'failed', at: new Date(later.getTime() + 3) })).toMatchObject({ status: 'read', applied: false });
    const stored = await test.database.query<{ delivered_at: Date }>('SELECT delivered_at FROM messages WHERE id = $1', [message.id]);
    expect(stored.rows[0]?.delivered_at).toEqual(later);

    // The same vendor id on another channel, or an unknown one, is not this message.
    expect(await applyDeliveryReceipt(test.database, { channel: 'telegram', vendorMessageId: vendorId, status: 'read', at: later })).toBeNull();
    expect(await applyDeliveryReceipt(test.database, { channel: 'whatsapp', vendorMessageId: 'unknown', status: 'read', at: later })).toBeNull();
  });

  it('marks a sent message failed on a failure receipt, with the vendor reason', async () => {
    const complaintId = await complaint();
    const message = outbound(complaintId, { channel: 'sms' });
    await insertOutboundMessage(test.database, message);
    const vendorId = `sms-${randomUUID()}`;
    await markOutboundSent(test.database, message.id, { vendorMessageId: vendorId, at: AT });
    expect(await applyDeliveryReceipt(test.database, { channel: 'sms', vendorMessageId: vendorId, status: 'failed', at: AT, error: 'unreachable handset' })).toMatchObject({
      status: 'failed',
      applied: true,
    });
    expect(await findOutboundMessage(test.database, message.id)).toMatchObject({ status: 'failed', lastError: 'unreachable handset' });
    expect(await applyDeliveryReceipt(test.database, { channel: 'sms', vendorMessageId: vendorId, status: 'delivered', at: AT })).toMatchObject({ status: 'failed', applied: false });
  });
});
