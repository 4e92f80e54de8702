import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { insertInboundBatch } from './inbound-messages.js';
import {
  disableWebhookSubscription,
  insertDeliveriesForEvent,
  insertWebhookSubscription,
  listDueDeliveries,
  listWebhookSubscriptions,
  lockDelivery,
  markDelivered,
  markDeliveryFailed,
  markDeliveryRetrying,
} from './webhooks.js';

const AT = new Date('2026-12-01T08:00:00.000Z');

async function newComplaint(test: TestDatabase): Promise<string> {
  const complaintId = randomUUID();
  await insertInboundBatch(
    test.database,
    [
      {
        messageId: randomUUID(),
        complaintId,
        channel: 'api',
        channelMessageId: `m-${randomUUID()}`,
        conversationKey: 'conversation-1',
        sender: { id: 'customer-1' },
        text: 'My card was charged twice',
        attachments: [],
        fields: null,
        locale: null,
        replyAddress: 'customer-1',
        raw: null,
        sentAt: AT,
        receivedAt: AT,
        identifierHashes: [],
        textContacts: [],
      },
    ],
    'Asia/Shanghai',
  );
  return complaintId;
}

async function subscribe(test: TestDatabase, events: string[], url = 'https://helpdesk.example/hook'): Promise<string> {
  const id = randomUUID();
  await insertWebhookSubscription(test.database, { id, url, secret: `whsec_${id}`, events, at: AT });
  return id;
}

describe.each(['pglite', 'postgres'] as const)('webhook subscriptions and deliveries on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });
  // insertDeliveriesForEvent fans out to every enabled subscription: start each test with none.
  beforeEach(async () => {
    await test.database.query('UPDATE webhook_subscriptions SET disabled_at = $1 WHERE disabled_at IS NULL', [AT]);
  });

  it('lists subscriptions without their secrets and disables them (false when unknown)', async () => {
    const id = await subscribe(test, ['complaint.breached', 'complaint.closed']);
    const listed = (await listWebhookSubscriptions(test.database)).find((row) => row.id === id);
    expect(listed).toEqual({ id, url: 'https://helpdesk.example/hook', events: ['complaint.breached', 'complaint.closed'], createdAt: AT, disabledAt: null });
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const later = new Date(AT.getTime() + 60_000);
    expect(await disableWebhookSubscription(test.database, id, later)).toBe(true);
    // Disabling twice keeps the first time.
    expect(await disableWebhookSubscription(test.database, id, new Date(AT.getTime() + 120_000))).toBe(true);
    expect((await listWebhookSubscriptions(test.database)).find((row) => row.id === id)?.disabledAt).toEqual(later);
    expect(await disableWebhookSubscription(test.database, randomUUID(), later)).toBe(false);
  });

  it('refuses a subscription id used twice', async () => {
    const id = await subscribe(test, ['complaint.closed']);
    await expect(insertWebhookSubscription(test.database, { id, url: 'https://x.example', secret: 's', events: ['complaint.closed'], at: AT })).rejects.toThrow();
  });

  it('writes one delivery per enabled subscription that wants the event, with the envelope as payload', async () => {
    const complaintId = await newComplaint(test);
    const wantsBreaches = await subscribe(test, ['complaint.breached']);
    const wantsAll = await subscribe(test, ['complaint.registered', 'complaint.breached', 'complaint.closed']);
    await subscribe(test, ['complaint.closed']);
    const disabled = await subscribe(test, ['complaint.breached']);
    await disableWebhookSubscription(test.database, disabled, AT);

    const ids = await test.database.transaction((tx) =>
      insertDeliveriesForEvent(tx, { type: 'complaint.breached', complaintId, payload: { reference: 'CMP-2026-000001', clock: 'final_response' }, at: AT }),
    );
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);

    const locked = await test.database.transaction(async (tx) => Promise.all(ids.map((id) => lockDelivery(tx, id))));
    expect(new Set(locked.map((row) => row?.subscriptionId))).toEqual(new Set([wantsBreaches, wantsAll]));
    for (const row of locked) {
      expect(row).toMatchObject({ eventType: 'complaint.breached', complaintId, status: 'queued', attempts: 0, url: 'https://helpdesk.example/hook', subscriptionDisabled: false });
      expect(row?.secret).toBe(`whsec_${row?.subscriptionId ?? ''}`);
      expect(row?.payload).toEqual({
        id: row?.id,
        type: 'complaint.breached',
        createdAt: AT.toISOString(),
        data: { complaintId, reference: 'CMP-2026-000001', clock: 'final_response' },
      });
    }
    // Queued rows are due at once (the reconciler's safety net when the job is lost).
    const due = await listDueDeliveries(test.database, { now: AT, limit: 100 });
    expect(due.filter((row) => ids.includes(row.id))).toHaveLength(2);
  });

  it('writes nothing when nobody subscribes to the event, and refuses an unknown complaint', async () => {
    await subscribe(test, ['complaint.closed']);
    const complaintId = await newComplaint(test);
    expect(await insertDeliveriesForEvent(test.database, { type: 'complaint.reopened', complaintId, payload: {}, at: AT })).toEqual([]);
    await expect(
      insertDeliveriesForEvent(test.database, { type: 'complaint.closed', complaintId: randomUUID(), payload: {}, at: AT }),
    ).rejects.toThrow();
  });

  it('records retries, delivery and failure, and lists only what is due', async () => {
    const complaintId = await newComplaint(test);
    await subscribe(test, ['complaint.closed']);
    const created: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      created.push(...(await insertDeliveriesForEvent(test.database, { type: 'complaint.closed', complaintId, payload: {}, at: AT })));
    }
    const [first, second, third] = created;
    if (!first || !second || !third) throw new Error('expected three deliveries');

    const retryAt = new Date(AT.getTime() + 30_000);
    await markDeliveryRetrying(test.database, first, { status: 503, error: 'HTTP 503', nextAttemptAt: retryAt });
    await markDelivered(test.database, second, { status: 204, at: AT });
    await markDeliveryFailed(test.database, third, { status: null, error: 'subscription disabled', attempted: false });

    expect(await lockDelivery(test.database, first)).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(await lockDelivery(test.database, second)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await lockDelivery(test.database, third)).toMatchObject({ status: 'failed', attempts: 0 });
    const rows = await test.database.query<{ id: string; last_status: number | null; last_error: string | null; next_attempt_at: Date | null; delivered_at: Date | null }>(
      'SELECT id, last_status, last_error, next_attempt_at, delivered_at FROM webhook_deliveries WHERE id = ANY($1::uuid[])',
      [[first, second, third]],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    expect(byId.get(first)).toMatchObject({ last_status: 503, last_error: 'HTTP 503', next_attempt_at: retryAt, delivered_at: null });
    expect(byId.get(second)).toMatchObject({ last_status: 204, last_error: null, next_attempt_at: null, delivered_at: AT });
    expect(byId.get(third)).toMatchObject({ last_status: null, last_error: 'subscription disabled', next_attempt_at: null });

    const ours = (list: { id: string }[]) => list.map((row) => row.id).filter((id) => [first, second, third].includes(id));
    expect(ours(await listDueDeliveries(test.database, { now: AT, limit: 1000 }))).toEqual([]);
    expect(await listDueDeliveries(test.database, { now: retryAt, limit: 1000 }).then(ours)).toEqual([first]);
    expect((await listDueDeliveries(test.database, { now: retryAt, limit: 1000 })).find((row) => row.id === first)).toEqual({ id: first, attempts: 1, nextAttemptAt: retryAt });

    await markDeliveryFailed(test.database, first, { status: 500, error: 'HTTP 500 (gave up)', attempted: true });
    expect(await lockDelivery(test.database, first)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await listDueDeliveries(test.database, { now: retryAt, limit: 1000 }).then(ours)).toEqual([]);
  });

  it('pages due deliveries in order of due time', async () => {
    const complaintId = await newComplaint(test);
    await subscribe(test, ['complaint.escalated']);
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const at = new Date(AT.getTime() - (5 - index) * 1000);
      ids.push(...(await insertDeliveriesForEvent(test.database, { type: 'complaint.escalated', complaintId, payload: { index }, at })));
    }
    // Everything else due is older or newer than these: read from just before the first.
    const seen: string[] = [];
    let after = { nextAttemptAt: new Date(AT.getTime() - 5001), id: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      const page = await listDueDeliveries(test.database, { now: new Date(AT.getTime() - 1000), limit: 2, after });
      if (page.length === 0) break;
      seen.push(...page.map((row) => row.id));
      const last = page.at(-1);
      if (!last) break;
      after = { nextAttemptAt: last.nextAttemptAt, id: last.id };
    }
    expect(seen).toEqual(ids);
  });

  it('writes an event without a complaint with its data as given', async () => {
    await subscribe(test, ['complaint.closed']);
    const [id] = await insertDeliveriesForEvent(test.database, { type: 'complaint.closed', complaintId: null, payload: { batch: 3 }, at: AT });
    if (!id) throw new Error('expected a delivery');
    expect((await lockDelivery(test.database, id))?.payload).toEqual({ id, type: 'complaint.closed', createdAt: AT.toISOString(), data: { batch: 3 } });
  });

  it('lockDelivery answers null for an unknown delivery', async () => {
    expect(await lockDelivery(test.database, randomUUID())).toBeNull();
  });
});
