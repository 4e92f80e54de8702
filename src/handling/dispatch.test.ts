import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { reply, startFakeReceiver, type FakeReceiver } from '../../test/support/fake-receiver.js';
import type { DispatchJob, QueueName } from '../contracts/index.js';
import type { EnqueueOptions, JobContext, QueueDriver } from '../queue/index.js';
import { fixedClock } from '../shared/clock.js';
import { verifyBodySignature } from '../shared/signing.js';
import { disableWebhookSubscription, insertInboundBatch, insertWebhookSubscription, lockDelivery, type Database, type Queryable } from '../store/index.js';
import { createOutboundAddressGuard, type OutboundAddressGuard } from '../shared/outbound-address-guard.js';
import { createDispatchProcessor, createEventDispatcher, reconcileDispatch, type DispatchObserver } from './dispatch.js';

const AT = new Date('2026-12-01T08:00:00.000Z');
const SECRET = 'whsec_test-secret-0123456789';

interface Enqueued {
  queue: QueueName;
  payload: DispatchJob;
  options: EnqueueOptions;
}

/** A queue driver that records what is enqueued (and can be made to fail). */
function recordingDriver(): QueueDriver & { enqueued: Enqueued[]; failing: boolean; retried: QueueName[] } {
  const state = { enqueued: [] as Enqueued[], failing: false, retried: [] as QueueName[] };
  const add = (queue: QueueName, payload: unknown, options: EnqueueOptions): void => {
    if (state.failing) throw new Error('queue down');
    state.enqueued.push({ queue, payload: payload as DispatchJob, options });
  };
  return Object.assign(state, {
    kind: 'in-process' as const,
    enqueue: (queue: QueueName, payload: unknown, options: EnqueueOptions) => {
      try {
        add(queue, payload, options);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    enqueueMany: (queue: QueueName, jobs: readonly { payload: unknown; options: EnqueueOptions }[]) => {
      try {
        for (const job of jobs) add(queue, job.payload, job.options);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    process: () => undefined,
    start: () => Promise.resolve(),
    counts: () => Promise.resolve({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }),
    retryFailed: (queue: QueueName) => {
      state.retried.push(queue);
      return Promise.resolve();
    },
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  }) as QueueDriver & typeof state;
}

function recordingObserver(): DispatchObserver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    delivered: (type) => calls.push(`delivered ${type}`),
    retrying: (type, status) => calls.push(`retrying ${type} ${status ?? '-'}`),
    failed: (type) => calls.push(`failed ${type}`),
  };
}

const context = (attempt: number): JobContext => ({ jobId: `job-${attempt}`, attempt: 1, maxAttempts: 8 });

async function newComplaint(database: Database): Promise<string> {
  const complaintId = randomUUID();
  await insertInboundBatch(
    database,
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

describe.each(['pglite', 'postgres'] as const)('webhook dispatch on %s', (kind) => {
  let test: TestDatabase;
  let receiver: FakeReceiver;
  let driver: ReturnType<typeof recordingDriver>;
  let observer: ReturnType<typeof recordingObserver>;
  let clock: ReturnType<typeof fixedClock>;
  let complaintId: string;
  let subscriptionId: string;
  const dispatcher = createEventDispatcher();

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    receiver = await startFakeReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await test.drop();
  });
  beforeEach(async () => {
    driver = recordingDriver();
    observer = recordingObserver();
    clock = fixedClock(AT);
    receiver.requests.length = 0;
    receiver.setFallback(reply.ok());
    // Each test has exactly one enabled subscription: its own.
    await test.database.query('UPDATE webhook_subscriptions SET disabled_at = $1 WHERE disabled_at IS NULL', [AT]);
    subscriptionId = randomUUID();
    await insertWebhookSubscription(test.database, { id: subscriptionId, url: `${receiver.url}/hooks/ombuds`, secret: SECRET, events: ['complaint.breached', 'complaint.closed'], at: AT });
    complaintId = await newComplaint(test.database);
  });
  afterEach(() => {
    receiver.setFallback(reply.ok());
  });

  // The receiver listens on 127.0.0.1: allowed here, as OUTBOUND_ALLOW_PRIVATE_NETWORKS=true allows it.
  const privateNetworksAllowed = createOutboundAddressGuard({ allowPrivateNetworks: true });

  function processor(overrides: { maxAttempts?: number; timeoutMs?: number; database?: Database; addressGuard?: OutboundAddressGuard } = {}) {
    return createDispatchProcessor({
      database: overrides.database ?? test.database,
      queue: driver,
      clock,
      maxAttempts: overrides.maxAttempts ?? 5,
      retryBaseMs: 1000,
      retryMaxMs: 60_000,
      timeoutMs: overrides.timeoutMs ?? 5_000,
      addressGuard: overrides.addressGuard ?? privateNetworksAllowed,
      observer,
      random: () => 0.5,
    });
  }

  async function emitBreach(): Promise<string> {
    const jobs = await test.database.transaction((tx: Queryable) =>
      dispatcher.emit(tx, { type: 'complaint.breached', complaintId, at: AT, data: { reference: 'CMP-2026-000042', clock: 'final_response' } }),
    );
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    if (job?.queue !== 'dispatch') throw new Error('expected a dispatch job');
    expect(job.payload.attempt).toBe(1);
    expect(job.options.jobId).toBe(`dispatch-${job.payload.deliveryId}-1`);
    return job.payload.deliveryId;
  }

  async function row(deliveryId: string) {
    const result = await test.database.query<{ status: string; attempts: number; last_status: number | null; last_error: string | null; next_attempt_at: Date | null }>(
      'SELECT status, attempts, last_status, last_error, next_attempt_at FROM webhook_deliveries WHERE id = $1',
      [deliveryId],
    );
    return result.rows[0];
  }

  it('delivers on 2xx: the exact stored payload, signed with the subscription secret, with event, delivery and attempt headers', async () => {
    const deliveryId = await emitBreach();
    await processor()({ deliveryId, attempt: 1 }, context(1));

    expect(receiver.requests).toHaveLength(1);
    const received = receiver.requests[0]!;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/hooks/ombuds');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['ombuds-event']).toBe('complaint.breached');
    expect(received.headers['ombuds-delivery']).toBe(deliveryId);
    expect(received.headers['ombuds-attempt']).toBe('1');
    const signature = received.headers['ombuds-signature'];
    expect(typeof signature).toBe('string');
    expect(verifyBodySignature(SECRET, received.rawBody, signature as string, clock.now())).toBe(true);
    expect(verifyBodySignature('whsec_other', received.rawBody, signature as string, clock.now())).toBe(false);
    expect(verifyBodySignature(SECRET, `${received.rawBody} `, signature as string, clock.now())).toBe(false);
    expect(received.json).toEqual({
      id: deliveryId,
      type: 'complaint.breached',
      createdAt: AT.toISOString(),
      data: { complaintId, reference: 'CMP-2026-000042', clock: 'final_response' },
    });
    const stored = await lockDelivery(test.database, deliveryId);
    expect(received.rawBody).toBe(JSON.stringify(stored?.payload));

    expect(await row(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, last_status: 200, next_attempt_at: null });
    expect(observer.calls).toEqual(['delivered complaint.breached']);
    expect(driver.enqueued).toEqual([]);

    // The same job again (a re-run after a crash) sends nothing.
    await processor()({ deliveryId, attempt: 1 }, context(1));
    expect(receiver.requests).toHaveLength(1);
  });

  it('on 429 with Retry-After schedules the next attempt no earlier than the receiver asked', async () => {
    const deliveryId = await emitBreach();
    receiver.enqueue(reply.rateLimited(120));
    await processor()({ deliveryId, attempt: 1 }, context(1));

    expect(driver.enqueued).toHaveLength(1);
    const next = driver.enqueued[0]!;
    expect(next.queue).toBe('dispatch');
    expect(next.payload).toEqual({ deliveryId, attempt: 2 });
    expect(next.options.jobId).toBe(`dispatch-${deliveryId}-2`);
    expect(next.options.delayMs).toBeGreaterThanOrEqual(120_000);
    const stored = await row(deliveryId);
    expect(stored).toMatchObject({ status: 'retrying', attempts: 1, last_status: 429, last_error: 'HTTP 429' });
    expect(stored?.next_attempt_at?.getTime()).toBe(AT.getTime() + (next.options.delayMs ?? 0));
    expect(observer.calls).toEqual(['retrying complaint.breached 429']);

    // The next attempt delivers; it says it is attempt 2.
    clock.advance(120_000);
    await processor()(next.payload, context(2));
    expect(receiver.requests.map((request) => request.headers['ombuds-attempt'])).toEqual(['1', '2']);
    expect(await row(deliveryId)).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
  });

  it('retries a 500 with exponential backoff', async () => {
    const deliveryId = await emitBreach();
    receiver.enqueue(reply.serverError(500), reply.serverError(503));
    await processor()({ deliveryId, attempt: 1 }, context(1));
    await processor()({ deliveryId, attempt: 2 }, context(2));
    // random 0.5: three quarters of base × 2^(attempt-1).
    expect(driver.enqueued.map((job) => [job.payload.attempt, job.options.delayMs])).toEqual([
      [2, 750],
      [3, 1500],
    ]);
    expect(await row(deliveryId)).toMatchObject({ status: 'retrying', attempts: 2, last_status: 503 });
    expect(observer.calls).toEqual(['retrying complaint.breached 500', 'retrying complaint.breached 503']);
  });

  it.each([410, 400])('fails at once on a permanent %i', async (status) => {
    const deliveryId = await emitBreach();
    receiver.enqueue(reply.status(status, { error: 'no' }));
    await processor()({ deliveryId, attempt: 1 }, context(1));
    expect(driver.enqueued).toEqual([]);
    expect(await row(deliveryId)).toMatchObject({ status: 'failed', attempts: 1, last_status: status, next_attempt_at: null });
    expect(observer.calls).toEqual(['failed complaint.breached']);
  });

  describe('to a host that resolves to 127.0.0.1', () => {
    const helpdeskHost = 'helpdesk.bank.example';
    const resolveToLoopback = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    async function pointSubscriptionAtName(): Promise<void> {
      const port = new URL(receiver.url).port;
      await test.database.query('UPDATE webhook_subscriptions SET url = $2 WHERE id = $1', [subscriptionId, `http://${helpdeskHost}:${port}/hooks/ombuds`]);
    }

    it('refuses it with private networks not allowed: failed at once with the reason, never sent, not retried', async () => {
      await pointSubscriptionAtName();
      const deliveryId = await emitBreach();
      await processor({ addressGuard: createOutboundAddressGuard({ allowPrivateNetworks: false, resolve: resolveToLoopback }) })({ deliveryId, attempt: 1 }, context(1));
      expect(receiver.requests).toEqual([]);
      expect(driver.enqueued).toEqual([]);
      const stored = await row(deliveryId);
      expect(stored).toMatchObject({ status: 'failed', attempts: 1, last_status: null, next_attempt_at: null });
      expect(stored?.last_error).toMatch(/^OUTBOUND_ADDRESS_NOT_PUBLIC: helpdesk\.bank\.example resolves to 127\.0\.0\.1, which is not a public address/);
      expect(observer.calls).toEqual(['failed complaint.breached']);
    });

    it('delivers it with private networks allowed, connecting to the address the guard resolved', async () => {
      await pointSubscriptionAtName();
      const deliveryId = await emitBreach();
      await processor({ addressGuard: createOutboundAddressGuard({ allowPrivateNetworks: true, resolve: resolveToLoopback }) })({ deliveryId, attempt: 1 }, context(1));
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]?.headers.host).toBe(`${helpdeskHost}:${new URL(receiver.url).port}`);
      expect(await row(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, last_status: 200 });
    });
  });

  it('refuses a subscription on a loopback literal by default (no guard given), without sending', async () => {
    const deliveryId = await emitBreach();
    const strict = createDispatchProcessor({ database: test.database, queue: driver, clock, maxAttempts: 5, retryBaseMs: 1000, retryMaxMs: 60_000, timeoutMs: 5_000, observer });
    await strict({ deliveryId, attempt: 1 }, context(1));
    expect(receiver.requests).toEqual([]);
    expect(await row(deliveryId)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/^OUTBOUND_ADDRESS_NOT_PUBLIC: 127\.0\.0\.1 is not a public address/) });
  });

  it('retries an attempt that times out', async () => {
    const deliveryId = await emitBreach();
    receiver.enqueue(reply.hang());
    await processor({ timeoutMs: 300 })({ deliveryId, attempt: 1 }, context(1));
    expect(receiver.requests).toHaveLength(1);
    expect(await row(deliveryId)).toMatchObject({ status: 'retrying', attempts: 1, last_status: null });
    expect((await row(deliveryId))?.last_error).toMatch(/timed out/);
    expect(driver.enqueued.map((job) => job.payload)).toEqual([{ deliveryId, attempt: 2 }]);
  });

  it('retries a dropped connection', async () => {
    const deliveryId = await emitBreach();
    receiver.enqueue(reply.drop());
    await processor()({ deliveryId, attempt: 1 }, context(1));
    expect(await row(deliveryId)).toMatchObject({ status: 'retrying', attempts: 1 });
  });

  it('fails when the attempts are exhausted', async () => {
    const deliveryId = await emitBreach();
    receiver.setFallback(reply.serverError(502));
    const run = processor({ maxAttempts: 2 });
    await run({ deliveryId, attempt: 1 }, context(1));
    await run({ deliveryId, attempt: 2 }, context(2));
    expect(receiver.requests).toHaveLength(2);
    expect(driver.enqueued.map((job) => job.payload.attempt)).toEqual([2]);
    const stored = await row(deliveryId);
    expect(stored).toMatchObject({ status: 'failed', attempts: 2, last_status: 502, next_attempt_at: null });
    expect(stored?.last_error).toMatch(/gave up after 2 attempts/);
    expect(observer.calls).toEqual(['retrying complaint.breached 502', 'failed complaint.breached']);
  });

  it('fails a delivery to a disabled subscription without sending it', async () => {
    const deliveryId = await emitBreach();
    await disableWebhookSubscription(test.database, subscriptionId, AT);
    await processor()({ deliveryId, attempt: 1 }, context(1));
    expect(receiver.requests).toEqual([]);
    expect(await row(deliveryId)).toMatchObject({ status: 'failed', attempts: 0, last_error: 'subscription disabled' });
    expect(observer.calls).toEqual(['failed complaint.breached']);
  });

  it('ignores a stale or unknown attempt', async () => {
    const deliveryId = await emitBreach();
    await processor()({ deliveryId, attempt: 3 }, context(3));
    await processor()({ deliveryId: randomUUID(), attempt: 1 }, context(1));
    expect(receiver.requests).toEqual([]);
    expect(await row(deliveryId)).toMatchObject({ status: 'queued', attempts: 0 });

    receiver.enqueue(reply.serverError(500));
    await processor()({ deliveryId, attempt: 1 }, context(1));
    // Attempt 1 again (a duplicate of a job that already ran): the row waits for attempt 2.
    await processor()({ deliveryId, attempt: 1 }, context(1));
    expect(receiver.requests).toHaveLength(1);
    expect(observer.calls).toEqual(['retrying complaint.breached 500']);
  });

  it('emits no job when nobody subscribes to the event, and notifies nobody by webhook', async () => {
    const jobs = await test.database.transaction((tx) => dispatcher.emit(tx, { type: 'complaint.reopened', complaintId, at: AT, data: {} }));
    expect(jobs).toEqual([]);
    const count = await test.database.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries WHERE complaint_id = $1', [complaintId]);
    expect(count.rows[0]?.n).toBe(0);
  });

  it('writes staff notifications', async () => {
    await test.database.transaction((tx) =>
      dispatcher.notify(tx, { kind: 'deadline.breached', complaintId, audience: 'supervisors', data: { clock: 'final_response' }, at: AT }),
    );
    const rows = await test.database.query<{ kind: string; audience: string; data: unknown }>('SELECT kind, audience, data FROM notifications WHERE complaint_id = $1', [complaintId]);
    expect(rows.rows).toEqual([{ kind: 'deadline.breached', audience: 'supervisors', data: { clock: 'final_response' } }]);
  });

  it('keeps the retry in the row when the next job cannot be enqueued; the reconciler enqueues it once due', async () => {
    const deliveryId = await emitBreach();
    receiver.enqueue(reply.serverError(500));
    driver.failing = true;
    await processor()({ deliveryId, attempt: 1 }, context(1));
    expect(await row(deliveryId)).toMatchObject({ status: 'retrying', attempts: 1 });
    driver.failing = false;

    const ours = () => driver.enqueued.filter((job) => job.payload.deliveryId === deliveryId);
    await reconcileDispatch(test.database, driver, AT);
    expect(ours()).toEqual([]);
    expect(driver.retried).toEqual(['dispatch']);

    await reconcileDispatch(test.database, driver, new Date(AT.getTime() + 60_000));
    expect(ours()).toEqual([{ queue: 'dispatch', payload: { deliveryId, attempt: 2 }, options: { jobId: `dispatch-${deliveryId}-2` } }]);
  });

  it('reconciles a queued delivery whose first job was never enqueued, across pages', async () => {
    const first = await emitBreach();
    const second = await emitBreach();
    const third = await emitBreach();
    const count = await reconcileDispatch(test.database, driver, AT, 2);
    expect(count).toBeGreaterThanOrEqual(3);
    const jobIds = driver.enqueued.map((job) => job.options.jobId);
    for (const id of [first, second, third]) expect(jobIds).toContain(`dispatch-${id}-1`);
    expect(new Set(jobIds).size).toBe(jobIds.length);
  });

  it('throws (so the queue retries) when the database is down', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const unreachable: Database = {
      kind: test.database.kind,
      parallelism: 1,
      query: () => Promise.reject(down),
      exec: () => Promise.reject(down),
      transaction: () => Promise.reject(down),
      ping: () => Promise.reject(down),
      close: () => Promise.resolve(),
    };
    await expect(processor({ database: unreachable })({ deliveryId: randomUUID(), attempt: 1 }, context(1))).rejects.toThrow(/ECONNREFUSED/);
    expect(receiver.requests).toEqual([]);
  });
});
