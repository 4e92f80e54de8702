import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { insertInboundBatch, type NewInboundMessage } from './inbound-messages.js';
import { findOutboundMessage, insertOutboundMessage, markOutboundFailed, markOutboundSent } from './outbound-messages.js';
import { acknowledgeWebChatMessages, formatMailboxCursor, listWebChatMailbox, parseMailboxCursor, type MailboxEntry } from './webchat-mailbox.js';

const CHANNEL = 'webchat';
const T0 = new Date('2026-12-01T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('mailbox cursors', () => {
  it('round-trip as `<micros>.<uuid>` and anything else reads as no cursor', () => {
    const cursor = { micros: '1764576000123456', id: '0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41' };
    expect(formatMailboxCursor(cursor)).toBe('1764576000123456.0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41');
    expect(parseMailboxCursor(formatMailboxCursor(cursor))).toEqual(cursor);
    for (const value of [undefined, '', '12', 'x.0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41', '1.not-a-uuid', `${'9'.repeat(21)}.0b7e2a52-6f0e-4c1b-9d7a-3f5b8e2c9a41`]) {
      expect(parseMailboxCursor(value)).toBeNull();
    }
  });
});

describe.each(['pglite', 'postgres'] as const)('web chat mailbox on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  /** A session with one customer message at T0 (its complaint shell holds the replies). */
  async function session(): Promise<{ sessionId: string; complaintId: string; inboundId: string }> {
    const sessionId = randomUUID();
    const complaintId = randomUUID();
    const row: NewInboundMessage = {
      messageId: randomUUID(),
      complaintId,
      channel: CHANNEL,
      channelMessageId: `${sessionId}:m-1`,
      conversationKey: sessionId,
      sender: { id: sessionId },
      text: 'My card was charged twice',
      attachments: [],
      fields: null,
      locale: 'en',
      replyAddress: sessionId,
      raw: null,
      sentAt: T0,
      receivedAt: T0,
      identifierHashes: [],
      textContacts: [],
    };
    const [stored] = await insertInboundBatch(test.database, [row], 'Asia/Shanghai');
    return { sessionId, complaintId, inboundId: stored?.messageId ?? '' };
  }

  async function reply(target: { sessionId: string; complaintId: string }, seconds: number, text: string, sentBy = 'system:intake'): Promise<string> {
    const id = randomUUID();
    await insertOutboundMessage(test.database, {
      id,
      complaintId: target.complaintId,
      conversationKey: target.sessionId,
      channel: CHANNEL,
      replyAddress: target.sessionId,
      text,
      quickReplies: [{ label: 'Yes', value: 'yes' }],
      purpose: 'acknowledgement',
      language: 'en',
      sentBy,
      at: at(seconds),
    });
    return id;
  }

  const read = (sessionId: string, after: MailboxEntry['cursor'] | null = null) => listWebChatMailbox(test.database, { channel: CHANNEL, conversationKey: sessionId, after, limit: 100 });

  it('lists the conversation in order, the customer’s messages and the replies, with their quick replies and authors', async () => {
    const mine = await session();
    const other = await session();
    const first = await reply(mine, 1, 'Which product is this about?');
    const second = await reply(mine, 2, 'A member of staff will answer.', 'staff:5f0e');
    await reply(other, 1, 'Not yours');
    const entries = await read(mine.sessionId);
    expect(entries.map((entry) => [entry.direction, entry.text, entry.sentBy])).toEqual([
      ['inbound', 'My card was charged twice', null],
      ['outbound', 'Which product is this about?', 'system:intake'],
      ['outbound', 'A member of staff will answer.', 'staff:5f0e'],
    ]);
    expect(entries.map((entry) => entry.id)).toEqual([mine.inboundId, first, second]);
    expect(entries[0]?.channelMessageId).toBe(`${mine.sessionId}:m-1`);
    expect(entries[1]?.quickReplies).toEqual([{ label: 'Yes', value: 'yes' }]);
    expect(entries[1]?.at).toEqual(at(1));
    expect(entries[1]?.cursor).toEqual({ micros: String(at(1).getTime() * 1000), id: first });
  });

  it('after a cursor: what follows it, and every reply not yet acknowledged wherever it sits; never a failed one', async () => {
    const mine = await session();
    const early = await reply(mine, 1, 'early');
    const acknowledged = await reply(mine, 2, 'acknowledged');
    const failed = await reply(mine, 3, 'failed');
    const late = await reply(mine, 4, 'late');
    await markOutboundSent(test.database, early, { vendorMessageId: early, at: at(5) });
    await markOutboundFailed(test.database, failed, { error: 'gave up', at: at(5) });
    expect(await acknowledgeWebChatMessages(test.database, { channel: CHANNEL, conversationKey: mine.sessionId, messageIds: [acknowledged], at: at(6) })).toEqual([acknowledged]);

    const all = await read(mine.sessionId);
    expect(all.map((entry) => entry.text)).toEqual(['My card was charged twice', 'early', 'acknowledged', 'late']);
    const afterAcknowledged = all[2]?.cursor ?? null;
    // `early` is before the cursor but still only sent, not acknowledged: it comes again.
    expect((await read(mine.sessionId, afterAcknowledged)).map((entry) => entry.id)).toEqual([early, late]);
    await acknowledgeWebChatMessages(test.database, { channel: CHANNEL, conversationKey: mine.sessionId, messageIds: [early, late], at: at(7) });
    const afterLate = all[3]?.cursor ?? null;
    expect(await read(mine.sessionId, afterLate)).toEqual([]);
    // A row ordered before the cursor that commits later (a slower transaction) is still read while unacknowledged.
    const straggler = await reply(mine, 1.5, 'straggler');
    expect((await read(mine.sessionId, afterLate)).map((entry) => entry.id)).toEqual([straggler]);
  });

  it('pages with the limit, in order', async () => {
    const mine = await session();
    for (let index = 0; index < 5; index += 1) await reply(mine, 10 + index, `reply ${String(index)}`);
    const all = await read(mine.sessionId);
    await acknowledgeWebChatMessages(test.database, { channel: CHANNEL, conversationKey: mine.sessionId, messageIds: all.map((entry) => entry.id), at: at(20) });
    const first = await listWebChatMailbox(test.database, { channel: CHANNEL, conversationKey: mine.sessionId, after: null, limit: 2 });
    const second = await listWebChatMailbox(test.database, { channel: CHANNEL, conversationKey: mine.sessionId, after: first[1]?.cursor ?? null, limit: 2 });
    expect([...first, ...second].map((entry) => entry.text)).toEqual(['My card was charged twice', 'reply 0', 'reply 1', 'reply 2']);
  });

  it('acknowledges only the conversation’s own replies, moves status forward only, and gives the vendor id a row not yet sent lacks', async () => {
    const mine = await session();
    const other = await session();
    const queued = await reply(mine, 1, 'still queued');
    const theirs = await reply(other, 1, 'theirs');
    const unknown = randomUUID();
    const delivered = await acknowledgeWebChatMessages(test.database, {
      channel: CHANNEL,
      conversationKey: mine.sessionId,
      messageIds: [queued.toUpperCase(), theirs, unknown, mine.inboundId, queued],
      at: at(2),
    });
    expect(delivered).toEqual([queued]);
    expect(await findOutboundMessage(test.database, queued)).toMatchObject({ status: 'delivered', vendorMessageId: queued });
    expect(await findOutboundMessage(test.database, theirs)).toMatchObject({ status: 'queued', vendorMessageId: null });
    // Again: still delivered, reported as such, nothing moves back.
    expect(await acknowledgeWebChatMessages(test.database, { channel: CHANNEL, conversationKey: mine.sessionId, messageIds: [queued], at: at(3) })).toEqual([queued]);
    const row = await test.database.query<{ delivered_at: Date }>('SELECT delivered_at FROM messages WHERE id = $1', [queued]);
    expect(row.rows[0]?.delivered_at).toEqual(at(2));
  });
});
