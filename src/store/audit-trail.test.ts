import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { appendEvents, listEvents, verifyChain } from './audit-trail.js';
import { insertInboundBatch, type NewInboundMessage } from './inbound-messages.js';

function inbound(channelMessageId: string): NewInboundMessage {
  return {
    messageId: randomUUID(),
    complaintId: randomUUID(),
    channel: 'api',
    channelMessageId,
    conversationKey: 'conversation-1',
    sender: { id: 'customer-1' },
    text: 'My card was charged twice',
    attachments: [],
    fields: null,
    locale: null,
    replyAddress: 'customer-1',
    raw: null,
    sentAt: new Date('2026-11-30T01:00:00.000Z'),
    receivedAt: new Date('2026-11-30T01:00:01.000Z'),
    identifierHashes: [],
    textContacts: [],
  };
}

describe.each(['pglite', 'postgres'] as const)('audit trail and inbound batch on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  it('inserts a batch, gives references, and recognises duplicates', async () => {
    const first = inbound(`a-${randomUUID()}`);
    const second = inbound(`b-${randomUUID()}`);
    const rows = await insertInboundBatch(test.database, [first, second], 'Asia/Shanghai');
    expect(rows.map((row) => row.duplicate)).toEqual([false, false]);
    expect(rows[0]?.reference).toMatch(/^CMP-2026-\d{6}$/);
    expect(rows[0]?.reference).not.toEqual(rows[1]?.reference);

    const again = await insertInboundBatch(test.database, [{ ...first, messageId: randomUUID(), complaintId: randomUUID() }], 'Asia/Shanghai');
    expect(again[0]).toMatchObject({ duplicate: true, messageId: first.messageId, reference: rows[0]?.reference, pending: true });
    const count = await test.database.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE channel_message_id = $1', [first.channelMessageId]);
    expect(count.rows[0]?.n).toBe(1);
  });

  it('chains events and detects a tampered row', async () => {
    const message = inbound(`c-${randomUUID()}`);
    await insertInboundBatch(test.database, [message], 'Asia/Shanghai');
    await test.database.transaction((tx) =>
      appendEvents(tx, [
        { complaintId: message.complaintId, type: 'classified', actor: 'system:intake', data: { urgency: 'low' }, at: new Date() },
        { complaintId: message.complaintId, type: 'registered', actor: 'system:handling', data: { team: 'cards' }, at: new Date() },
      ]),
    );
    const events = await listEvents(test.database, message.complaintId);
    expect(events.map((event) => event.type)).toEqual(['received', 'classified', 'registered']);
    expect(verifyChain(events)).toEqual({ ok: true, length: 3 });

    const tampered = events.map((event) => (event.seq === 2 ? { ...event, data: { urgency: 'critical' } } : event));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, brokenAtSeq: 2 });
    const dropped = events.filter((event) => event.seq !== 2);
    expect(verifyChain(dropped)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('refuses UPDATE and DELETE on the audit table', async () => {
    const message = inbound(`d-${randomUUID()}`);
    await insertInboundBatch(test.database, [message], 'Asia/Shanghai');
    await expect(test.database.query(`UPDATE complaint_events SET type = 'x' WHERE complaint_id = $1`, [message.complaintId])).rejects.toThrow(/append-only/);
    await expect(test.database.query(`DELETE FROM complaint_events WHERE complaint_id = $1`, [message.complaintId])).rejects.toThrow(/append-only/);
    expect((await listEvents(test.database, message.complaintId)).length).toBe(1);
  });

  it('a forked chain (same seq twice) is refused', async () => {
    const message = inbound(`e-${randomUUID()}`);
    await insertInboundBatch(test.database, [message], 'Asia/Shanghai');
    await expect(
      test.database.query(
        `INSERT INTO complaint_events (complaint_id, seq, type, actor, data, created_at, prev_hash, hash) VALUES ($1, 1, 'x', 'y', '{}', now(), NULL, 'z')`,
        [message.complaintId],
      ),
    ).rejects.toThrow();
  });
});
