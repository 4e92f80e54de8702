/**
 * Parts of a concatenated message through intake.accept, on both databases: joined once in order whatever order
 * they arrive in, redelivered parts stored once, concurrent parts of one group joined exactly once, PII cut by the
 * split still redacted, a group that never completes handed over after the timeout with its gaps marked, and a
 * group key reused by a later message.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import type { InboundMessage } from '../contracts/inbound-message.js';
import type { QueueDriver } from '../queue/index.js';
import { createLogger } from '../shared/logger.js';
import { createIntake, type IntakeWithParts } from './accept.js';
import { silentIntakeObserver } from './intake-observer.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const TIMEOUT_MS = 60_000;

/** A queue that only records what intake enqueues (the queue is not what these tests are about). */
function recordingQueue(): QueueDriver & { enqueued: string[] } {
  const enqueued: string[] = [];
  return {
    kind: 'in-process',
    enqueued,
    enqueue: (_queue, payload) => {
      enqueued.push(String((payload as { messageId?: unknown }).messageId));
      return Promise.resolve();
    },
    enqueueMany: (_queue, jobs) => {
      for (const job of jobs) enqueued.push(String((job.payload as { messageId?: unknown }).messageId));
      return Promise.resolve();
    },
    process: () => undefined,
    start: () => Promise.resolve(),
    counts: () => Promise.resolve({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }),
    retryFailed: () => Promise.resolve(),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

let sequence = 0;

/**
 * A fresh group key without digits: the joined message's raw names its group, and raw is PII-redacted before it is
 * stored, so a key with a digit run that happens to look like a number would come back masked.
 */
function groupKey(prefix: string): string {
  return `${prefix}-${randomUUID().replace(/\d/g, (digit) => 'ghijklmnop'.charAt(Number(digit)))}`;
}

function part(group: string, index: number, total: number, text: string, options: { id?: string; receivedAt?: Date } = {}): InboundMessage {
  sequence += 1;
  const receivedAt = options.receivedAt ?? AT;
  return {
    channel: 'sms_vonage',
    channelMessageId: options.id ?? `part-${String(sequence)}-${randomUUID()}`,
    conversationKey: '+447700900419|447700900996',
    sender: { id: '+447700900419', phone: '+447700900419' },
    sentAt: new Date(receivedAt.getTime() - 1000),
    receivedAt,
    text,
    attachments: [],
    replyAddress: '+447700900419|447700900996',
    raw: { text, index },
    part: { group, index, total },
  };
}

describe.each(['pglite', 'postgres'] as const)('message parts on %s', (kind) => {
  let test: TestDatabase;
  let queue: ReturnType<typeof recordingQueue>;
  let intake: IntakeWithParts;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    queue = recordingQueue();
    intake = createIntake({
      database: test.database,
      queue,
      observer: silentIntakeObserver,
      logger: createLogger({ level: 'silent' }),
      timeZone: 'Asia/Shanghai',
      hashIdentifier: (type, value) => createHash('sha256').update(`${type}:${value}`).digest('hex'),
      maxBatch: 16,
    });
  });
  afterAll(async () => {
    await test.drop();
  });

  async function inbound(channelMessageIdPrefix: string) {
    const result = await test.database.query<{ id: string; text: string; raw: Record<string, unknown>; status: string; complaint_id: string; text_contacts: { type: string; value: string }[] }>(
      `SELECT id, text, raw, status, complaint_id, text_contacts FROM messages WHERE channel = 'sms_vonage' AND channel_message_id LIKE $1 || '%'`,
      [channelMessageIdPrefix],
    );
    return result.rows;
  }

  const PERMUTATIONS = [
    [1, 2, 3],
    [1, 3, 2],
    [2, 1, 3],
    [2, 3, 1],
    [3, 1, 2],
    [3, 2, 1],
  ];

  it.each(PERMUTATIONS.map((order) => [order.join('-'), order] as const))('joins three parts that arrive in the order %s into one message, in part order', async (_name, order) => {
    const group = groupKey('ordered');
    const texts = ['My card was charged tw', 'ice for the same purchase at the super', 'market yesterday, please refund it.'];
    const results = [];
    for (const index of order) results.push(await intake.accept(part(group, index, 3, texts[index - 1] ?? '')));
    // Before the last part nothing is a message yet; the last part's answer is the joined message.
    for (const early of results.slice(0, 2)) expect(early).toMatchObject({ complaintId: null, reference: null, duplicate: false });
    const last = results[2];
    expect(last?.duplicate).toBe(false);
    expect(last?.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    const rows = await inbound(`concat:${group}:`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toBe(texts.join(''));
    expect(rows[0]?.id).toBe(last?.messageId);
    expect(rows[0]?.status).toBe('pending');
    expect(rows[0]?.raw.concatenated).toEqual({ group, total: 3, received: [1, 2, 3], incomplete: false });
    expect(queue.enqueued.filter((id) => id === last?.messageId)).toHaveLength(1);
  });

  it('stores a redelivered part once, before and after the group completes', async () => {
    const group = groupKey('g');
    const first = part(group, 1, 2, 'Hello ');
    const second = part(group, 2, 2, 'world');
    const a = await intake.accept(first);
    expect(await intake.accept(first)).toMatchObject({ messageId: a.messageId, duplicate: true, complaintId: null });
    const joined = await intake.accept(second);
    expect(joined.duplicate).toBe(false);
    // Any part again, after the join, answers with the joined message.
    expect(await intake.accept(second)).toMatchObject({ messageId: joined.messageId, duplicate: true, reference: joined.reference });
    expect(await intake.accept(first)).toMatchObject({ messageId: joined.messageId, duplicate: true });
    const rows = await inbound(`concat:${group}:`);
    expect(rows.map((row) => row.text)).toEqual(['Hello world']);
    const parts = await test.database.query<{ n: number; kept: number }>(
      `SELECT count(*)::int AS n, count(p.message)::int AS kept FROM message_parts p JOIN message_part_groups g ON g.id = p.group_id WHERE g.group_key = $1`,
      [group],
    );
    // Two parts stored, their copies cleared once joined (the joined message holds the text).
    expect(parts.rows[0]).toEqual({ n: 2, kept: 0 });
  });

  it('joins concurrent parts and their redeliveries exactly once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const group = groupKey('c');
      const parts = [1, 2, 3, 4].map((index) => part(group, index, 4, `<${String(index)}>`));
      const deliveries = [...parts, ...parts, parts[0], parts[3]].filter((message) => message !== undefined);
      const results = await Promise.all(deliveries.map((message) => intake.accept(message)));
      const rows = await inbound(`concat:${group}:`);
      expect(rows.map((row) => row.text)).toEqual(['<1><2><3><4>']);
      expect(results.filter((result) => !result.duplicate && result.complaintId !== null)).toHaveLength(1);
      expect(results.filter((result) => result.duplicate)).toHaveLength(6);
    }
  });

  it('never stores a number the split cut in two, in the parts or the joined message, and keeps each part\'s contacts', async () => {
    const group = groupKey('p');
    await intake.accept(part(group, 1, 3, 'Call me on +44 7700 900123. My card number is 4111 1111 '));
    await intake.accept(part(group, 2, 3, '1111 1111 and someone used it, email me at'));
    await intake.accept(part(group, 3, 3, ' jo@example.com'));
    const [row] = await inbound(`concat:${group}:`);
    // Each part is redacted before it is stored: the halves of the card number are masked one by one (they are
    // not recognised as a card, but their digits never reach the database).
    expect(row?.text).not.toMatch(/4111|1111 1111|7700 900123|jo@example\.com/);
    expect(row?.text_contacts).toEqual(expect.arrayContaining([{ type: 'phone', value: '7700900123' }, { type: 'email', value: 'jo@example.com' }]));
    const leftovers = await test.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM message_parts WHERE message::text LIKE '%1111%' OR message::text LIKE '%jo@%'`);
    expect(leftovers.rows[0]?.n).toBe(0);
  });

  it('redacts an address the join brings together from parts that each hold only a piece of it', async () => {
    const group = groupKey('j');
    await intake.accept(part(group, 1, 2, 'Please write to me at customer.name@exa'));
    await intake.accept(part(group, 2, 2, 'mple.com about this'));
    const [row] = await inbound(`concat:${group}:`);
    expect(row?.text).toBe('Please write to me at [EMAIL] about this');
    expect(row?.text_contacts).toEqual([{ type: 'email', value: 'customer.name@example.com' }]);
  });

  it('hands a group that never completes to intake after the timeout, with the gap marked', async () => {
    const group = groupKey('t');
    const receivedAt = new Date('2026-12-02T09:00:00.000Z');
    await intake.accept(part(group, 1, 3, 'The ATM kept my card', { receivedAt }));
    await intake.accept(part(group, 3, 3, 'please call me back.', { receivedAt: new Date(receivedAt.getTime() + 5_000) }));
    // Not yet: the timeout counts from the latest part.
    expect(await intake.handOverStaleParts(new Date(receivedAt.getTime() + TIMEOUT_MS), TIMEOUT_MS)).toBe(0);
    expect(await inbound(`concat:${group}:`)).toHaveLength(0);
    expect(await intake.handOverStaleParts(new Date(receivedAt.getTime() + 5_001 + TIMEOUT_MS), TIMEOUT_MS)).toBeGreaterThanOrEqual(1);
    const rows = await inbound(`concat:${group}:`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text).toBe('The ATM kept my card […] please call me back.');
    expect(rows[0]?.raw.concatenated).toEqual({ group, total: 3, received: [1, 3], incomplete: true });
    expect(queue.enqueued).toContain(rows[0]?.id);
    // A second pass finds nothing left to hand over.
    expect(await intake.handOverStaleParts(new Date(receivedAt.getTime() + 10 * TIMEOUT_MS), TIMEOUT_MS)).toBe(0);
  });

  it('hands over the waiting group at once when a new message reuses its key (a part lost, concat-ref recycled)', async () => {
    const group = groupKey('r');
    await intake.accept(part(group, 1, 2, 'First message, part one; '));
    // Part 2 of the first message never came; the sender's next long message gets the same concat-ref.
    await intake.accept(part(group, 1, 2, 'Second message, part one; '));
    await intake.accept(part(group, 2, 2, 'second message, part two.'));
    const rows = await inbound(`concat:${group}:`);
    expect(rows.map((row) => row.text).sort()).toEqual(['First message, part one; […]', 'Second message, part one; second message, part two.']);
    expect(rows.map((row) => (row.raw.concatenated as { incomplete: boolean }).incomplete).sort()).toEqual([false, true]);
  });

  it('leaves messages without parts on the ordinary path', async () => {
    const { part: _unused, ...message } = part('unused', 1, 2, 'A single SMS');
    const result = await intake.accept(message);
    expect(result.duplicate).toBe(false);
    const stored = await test.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE id = $1 AND channel_message_id = $2`, [
      result.messageId,
      message.channelMessageId,
    ]);
    expect(stored.rows[0]?.n).toBe(1);
  });
});
