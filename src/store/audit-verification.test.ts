import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { appendEvents } from './audit-trail.js';
import { verifyAllChains } from './audit-verification.js';
import type { Database } from './database.js';
import { insertInboundBatch } from './inbound-messages.js';

/** A complaint as intake creates it (its `received` event) plus two more events: a chain of 3. */
async function seedComplaint(database: Database): Promise<{ id: string; reference: string }> {
  const complaintId = randomUUID();
  const [row] = await insertInboundBatch(
    database,
    [
      {
        messageId: randomUUID(),
        complaintId,
        channel: 'api',
        channelMessageId: randomUUID(),
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
      },
    ],
    'Asia/Shanghai',
  );
  await database.transaction((tx) =>
    appendEvents(tx, [
      { complaintId, type: 'classified', actor: 'system:intake', data: { urgency: 'low', flags: [] }, at: new Date('2026-11-30T01:00:02.000Z') },
      { complaintId, type: 'registered', actor: 'system:handling', data: { team: 'cards' }, at: new Date('2026-11-30T01:00:03.000Z') },
    ]),
  );
  return { id: complaintId, reference: row?.reference ?? '' };
}

/** Runs SQL with the append-only trigger switched off, as someone with the table owner's rights could. */
async function bypassingTrigger(database: Database, sql: string, params: unknown[]): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.query('ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_no_update');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_no_update');
  });
}

describe.each(['pglite', 'postgres'] as const)('audit chain verification on %s', (kind) => {
  let test: TestDatabase;
  const complaints: { id: string; reference: string }[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    for (let index = 0; index < 5; index += 1) complaints.push(await seedComplaint(test.database));
    complaints.sort((a, b) => a.id.localeCompare(b.id));
  });
  afterAll(async () => {
    await test.drop();
  });

  it('finds every chain intact, page by page', async () => {
    const progress: number[] = [];
    const result = await verifyAllChains(test.database, { batchSize: 2, onProgress: (p) => progress.push(p.complaints) });
    expect(result).toEqual({ complaints: 5, events: 15, broken: [] });
    expect(progress).toEqual([2, 4, 5]);
    const exact = await verifyAllChains(test.database, { batchSize: 5 });
    expect(exact).toEqual({ complaints: 5, events: 15, broken: [] });
    const one = await verifyAllChains(test.database, { complaintId: complaints[3]?.id ?? '' });
    expect(one).toEqual({ complaints: 1, events: 3, broken: [] });
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(verifyAllChains(test.database, { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  it('names the first broken link of each tampered chain', async () => {
    const [edited, deleted, forged, intact, emptied] = complaints;
    if (!edited || !deleted || !forged || !intact || !emptied) throw new Error('seed missing');
    // Content changed under the hash.
    await bypassingTrigger(test.database, `UPDATE complaint_events SET data = '{"urgency":"critical","flags":[]}' WHERE complaint_id = $1 AND seq = 2`, [edited.id]);
    // An event removed from the middle.
    await bypassingTrigger(test.database, 'DELETE FROM complaint_events WHERE complaint_id = $1 AND seq = 2', [deleted.id]);
    // An event appended without the chain (INSERT is allowed; it cannot know the right link without the head).
    await test.database.query(
      `INSERT INTO complaint_events (complaint_id, seq, type, actor, data, created_at, prev_hash, hash) VALUES ($1, 4, 'closed', 'staff:x', '{}', now(), 'forged', 'forged')`,
      [forged.id],
    );
    // The whole chain removed.
    await bypassingTrigger(test.database, 'DELETE FROM complaint_events WHERE complaint_id = $1', [emptied.id]);

    const result = await verifyAllChains(test.database, { batchSize: 2 });
    expect(result.complaints).toBe(5);
    expect(result.events).toBe(3 + 2 + 4 + 3 + 0);
    const expected = [
      { complaintId: edited.id, reference: edited.reference, seq: 2, reason: 'content does not match hash' },
      { complaintId: deleted.id, reference: deleted.reference, seq: 2, reason: 'sequence gap' },
      { complaintId: forged.id, reference: forged.reference, seq: 4, reason: 'link to previous event broken' },
      { complaintId: emptied.id, reference: emptied.reference, seq: 1, reason: 'no events: the chain is missing' },
    ].sort((a, b) => a.complaintId.localeCompare(b.complaintId));
    expect(result.broken).toEqual(expected);
    expect(await verifyAllChains(test.database, { complaintId: intact.id })).toEqual({ complaints: 1, events: 3, broken: [] });
  });
});
