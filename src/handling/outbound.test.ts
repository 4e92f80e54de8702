import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { reply, startFakeReceiver, type FakeReceiver } from '../../test/support/fake-receiver.js';
import { apiChannel } from '../adapters/index.js';
import type { ChannelSender, JobPayloads, QueueName } from '../contracts/index.js';
import type { EnqueueOptions, QueueDriver } from '../queue/index.js';
import { fixedClock } from '../shared/clock.js';
import { createOutboundAddressGuard } from '../shared/outbound-address-guard.js';
import { verifyBodySignature } from '../shared/signing.js';
import {
  findApiClientCallback,
  findOutboundMessage,
  insertApiClient,
  insertInboundBatch,
  setApiClientCallback,
  type Database,
  type Queryable,
} from '../store/index.js';
import { createOutboundProcessor, createOutboundQueue, NoConversation, reconcileOutbound, type OutboundFailure, type OutboundProcessorConfig } from './outbound.js';

const AT = new Date('2026-12-01T08:00:00.000Z');

interface Recorded {
  queue: QueueName;
  payload: unknown;
  options: EnqueueOptions;
}

function recordingDriver(options: { failEnqueue?: boolean } = {}): QueueDriver & { jobs: Recorded[]; retriedFailed: QueueName[] } {
  const jobs: Recorded[] = [];
  const retriedFailed: QueueName[] = [];
  return {
    kind: 'in-process',
    jobs,
    retriedFailed,
    enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], enqueueOptions: EnqueueOptions) {
      if (options.failEnqueue) return Promise.reject(new Error('queue down'));
      jobs.push({ queue, payload, options: enqueueOptions });
      return Promise.resolve();
    },
    enqueueMany<Q extends QueueName>(queue: Q, many: readonly { payload: JobPayloads[Q]; options: EnqueueOptions }[]) {
      for (const job of many) jobs.push({ queue, payload: job.payload, options: job.options });
      return Promise.resolve();
    },
    process: () => undefined,
    start: () => Promise.resolve(),
    counts: () => Promise.resolve({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }),
    retryFailed: (queue) => {
      retriedFailed.push(queue);
      return Promise.resolve();
    },
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** The database, with transactions failing from the `failFrom`-th on (1-based). */
function failingAfter(database: Database, failFrom: number): Database {
  let count = 0;
  return {
    kind: database.kind,
    parallelism: database.parallelism,
    query: (sql, params) => database.query(sql, params),
    exec: (sql) => database.exec(sql),
    transaction: (work) => {
      count += 1;
      return count >= failFrom ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : database.transaction(work);
    },
    ping: () => database.ping(),
    close: () => Promise.resolve(),
  };
}

describe.each(['pglite', 'postgres'] as const)('outbound messages: queue, processor, reconciler on %s', (kind) => {
  let test: TestDatabase;
  let receiver: FakeReceiver;
  let appId: string;
  const clock = fixedClock(AT);
  const events = { sent: [] as string[], retrying: [] as (number | undefined)[], failed: [] as string[], enqueueFailed: 0 };
  let failures: OutboundFailure[];

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    receiver = await startFakeReceiver();
    appId = randomUUID();
    await insertApiClient(test.database, { id: appId, name: `app-${appId}`, keyPrefix: appId.slice(0, 12), keyHash: '0'.repeat(64) });
    await setApiClientCallback(test.database, appId, { url: `${receiver.url}/callback`, secret: 'whsec_processor-test' });
  });
  afterAll(async () => {
    await receiver.close();
    await test.drop();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.setFallback(reply.ok());
    clock.set(AT);
    events.sent = [];
    events.retrying = [];
    events.failed = [];
    events.enqueueFailed = 0;
    failures = [];
  });

  // The receiver listens on 127.0.0.1: allowed here, as OUTBOUND_ALLOW_PRIVATE_NETWORKS=true allows it.
  const addressGuard = createOutboundAddressGuard({ allowPrivateNetworks: true });
  const apiSender = (timeoutMs = 2_000): ChannelSender =>
    apiChannel.createApiCallbackSender({ callbackOf: (id) => findApiClientCallback(test.database, id), timeoutMs, addressGuard, clock });

  function processor(overrides: Partial<OutboundProcessorConfig> = {}) {
    const queue = recordingDriver();
    const run = createOutboundProcessor({
      database: test.database,
      senders: new Map([['api', apiSender()]]),
      queue,
      clock,
      maxAttempts: 3,
      retryBaseMs: 1_000,
      retryMaxMs: 60_000,
      random: () => 0,
      observer: {
        sent: (channel) => events.sent.push(channel),
        retrying: (_channel, status) => events.retrying.push(status),
        failed: (_channel, reason) => events.failed.push(reason),
        enqueueFailed: () => {
          events.enqueueFailed += 1;
        },
      },
      onFailed: (_tx: Queryable, failure) => {
        failures.push(failure);
        return Promise.resolve();
      },
      ...overrides,
    });
    return { run, queue };
  }

  const context = (attempt: number) => ({ jobId: `job-${attempt}`, attempt: 1, maxAttempts: 1 });

  /** A complaint from the app's customer, and one outbound message queued on it; returns the message id. */
  async function queued(channel = 'api'): Promise<{ messageId: string; complaintId: string; jobs: unknown[] }> {
    const complaintId = randomUUID();
    const conversation = `${appId}:conversation-${randomUUID()}`;
    await insertInboundBatch(
      test.database,
      [
        {
          messageId: randomUUID(),
          complaintId,
          channel,
          channelMessageId: `${appId}:m-${randomUUID()}`,
          conversationKey: conversation,
          sender: { id: `${appId}:customer-1` },
          text: 'My card was charged twice',
          attachments: [],
          fields: null,
          locale: null,
          replyAddress: conversation,
          raw: null,
          sentAt: AT,
          receivedAt: AT,
          identifierHashes: [],
          textContacts: [],
        },
      ],
      'Asia/Shanghai',
    );
    const result = await test.database.transaction((tx) =>
      createOutboundQueue({ clock }).queueMessage(tx, {
        complaintId,
        purpose: 'acknowledgement',
        text: 'We have registered your complaint.',
        language: 'en',
        actor: 'system:test',
        at: AT,
      }),
    );
    return { ...result, complaintId };
  }

  it('queues a row on the complaint conversation and returns its first job', async () => {
    const { messageId, complaintId, jobs } = await queued();
    expect(jobs).toEqual([{ queue: 'outbound', payload: { outboundMessageId: messageId, attempt: 1 }, options: { jobId: `outbound-${messageId}-1` } }]);
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({
      complaintId,
      channel: 'api',
      status: 'queued',
      attempts: 0,
      replyAddress: expect.stringMatching(new RegExp(`^${appId}:conversation-`)),
      sentBy: 'system:test',
    });
  });

  it('lets the earlier message of a conversation go first, but never waits for it longer than orderWaitMs', async () => {
    const { messageId: first, complaintId } = await queued();
    const second = await test.database.transaction((tx) =>
      createOutboundQueue({ clock }).queueMessage(tx, { complaintId, purpose: 'dialog', text: 'second', language: 'en', actor: 'system:test', at: new Date(AT.getTime() + 1) }),
    );
    const order: string[] = [];
    const recorder: ChannelSender = {
      channel: 'api',
      send: (delivery) => {
        order.push(delivery.text);
        return Promise.resolve({ ok: true });
      },
    };
    const { run } = processor({ senders: new Map([['api', recorder]]) });
    // The second message's job runs first; it waits until the first is delivered.
    const later = run({ outboundMessageId: second.messageId, attempt: 1 }, context(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    await run({ outboundMessageId: first, attempt: 1 }, context(1));
    await later;
    expect(order).toEqual(['We have registered your complaint.', 'second']);

    // A first message that never goes holds the next one back only for the bounded wait.
    const stuck = await queued();
    const next = await test.database.transaction((tx) =>
      createOutboundQueue({ clock }).queueMessage(tx, { complaintId: stuck.complaintId, purpose: 'dialog', text: 'next', language: 'en', actor: 'system:test', at: new Date(AT.getTime() + 1) }),
    );
    await processor({ senders: new Map([['api', recorder]]), orderWaitMs: 150 }).run({ outboundMessageId: next.messageId, attempt: 1 }, context(1));
    expect(order.at(-1)).toBe('next');
    expect((await findOutboundMessage(test.database, stuck.messageId))?.status).toBe('queued');
  });

  it('refuses to queue on a complaint with no conversation', async () => {
    await expect(
      test.database.transaction((tx) =>
        createOutboundQueue().queueMessage(tx, { complaintId: randomUUID(), purpose: 'reply', text: 'hi', language: 'en', actor: 'staff:x', at: AT }),
      ),
    ).rejects.toBeInstanceOf(NoConversation);
  });

  it('delivers with 200 and marks the row sent, signed with the app secret', async () => {
    const { messageId } = await queued();
    const { run, queue } = processor();
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'sent', attempts: 1, nextAttemptAt: null });
    expect(events.sent).toEqual(['api']);
    expect(queue.jobs).toEqual([]);
    const [request] = receiver.requests;
    expect(request?.json).toMatchObject({ messageId, text: 'We have registered your complaint.', purpose: 'acknowledgement' });
    expect(verifyBodySignature('whsec_processor-test', request?.rawBody ?? '', request?.headers['ombuds-signature'] as string, AT)).toBe(true);

    // The same job again (a re-run) and a stale one do nothing.
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    await run({ outboundMessageId: messageId, attempt: 2 }, context(2));
    await run({ outboundMessageId: randomUUID(), attempt: 1 }, context(1));
    expect(receiver.requests).toHaveLength(1);
    expect(events.sent).toEqual(['api']);
  });

  it('honours 429 Retry-After: the next attempt is delayed at least 3 s', async () => {
    const { messageId } = await queued();
    receiver.enqueue(reply.rateLimited(3));
    const { run, queue } = processor();
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(queue.jobs).toHaveLength(1);
    const [job] = queue.jobs;
    expect(job?.queue).toBe('outbound');
    expect(job?.payload).toEqual({ outboundMessageId: messageId, attempt: 2 });
    expect(job?.options.jobId).toBe(`outbound-${messageId}-2`);
    expect(job?.options.delayMs).toBeGreaterThanOrEqual(3_000);
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastError: 'HTTP 429',
      nextAttemptAt: new Date(AT.getTime() + (job?.options.delayMs ?? 0)),
    });
    expect(events.retrying).toEqual([429]);
  });

  it('retries a 500 with backoff, then sends on the next attempt', async () => {
    const { messageId } = await queued();
    receiver.enqueue(reply.serverError(500), reply.serverError(502));
    const { run, queue } = processor({ random: () => 1 });
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    await run({ outboundMessageId: messageId, attempt: 2 }, context(2));
    expect(queue.jobs.map((job) => [job.options.jobId, job.options.delayMs])).toEqual([
      [`outbound-${messageId}-2`, 1_000],
      [`outbound-${messageId}-3`, 2_000],
    ]);
    await run({ outboundMessageId: messageId, attempt: 3 }, context(3));
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(receiver.requests.map((request) => request.headers['ombuds-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(receiver.requests.map((request) => request.headers['ombuds-delivery']))).toEqual(new Set([messageId]));
    expect(events.retrying).toEqual([500, 502]);
    expect(events.sent).toEqual(['api']);
  });

  it('fails a 400 at once and tells onFailed', async () => {
    const { messageId, complaintId } = await queued();
    receiver.enqueue(reply.badRequest(400));
    const { run, queue } = processor();
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(queue.jobs).toEqual([]);
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400', nextAttemptAt: null });
    expect(failures).toEqual([
      expect.objectContaining({ messageId, complaintId, channel: 'api', purpose: 'acknowledgement', attempts: 1, reason: 'permanent', error: 'HTTP 400', status: 400, at: AT }),
    ]);
    expect(failures[0]?.complaintReference).toMatch(/^CMP-/);
    expect(events.failed).toEqual(['permanent']);
  });

  it('retries after a receiver that hangs past the timeout', async () => {
    const { messageId } = await queued();
    receiver.enqueue(reply.hang());
    const { run, queue } = processor({ senders: new Map([['api', apiSender(200)]]) });
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(queue.jobs.map((job) => job.options.jobId)).toEqual([`outbound-${messageId}-2`]);
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'timed out after 200 ms' });
  });

  it('fails when the attempts are exhausted and calls onFailed once', async () => {
    const { messageId } = await queued();
    receiver.setFallback(reply.serverError(503));
    const { run, queue } = processor({ maxAttempts: 2 });
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    await run({ outboundMessageId: messageId, attempt: 2 }, context(2));
    expect(queue.jobs.map((job) => job.options.jobId)).toEqual([`outbound-${messageId}-2`]);
    const row = await findOutboundMessage(test.database, messageId);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row?.lastError).toContain('gave up after 2 attempts');
    expect(failures.map((failure) => [failure.reason, failure.attempts, failure.status])).toEqual([['exhausted', 2, 503]]);
    expect(events.failed).toEqual(['exhausted']);
    // A repeated last job does nothing more.
    await run({ outboundMessageId: messageId, attempt: 2 }, context(2));
    expect(failures).toHaveLength(1);
    expect(receiver.requests).toHaveLength(2);
  });

  it('fails permanently when no sender serves the channel', async () => {
    const { messageId } = await queued('carrier-pigeon');
    const { run } = processor();
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'failed', lastError: 'no sender for channel "carrier-pigeon"' });
    expect(failures.map((failure) => failure.reason)).toEqual(['no_sender']);
    expect(events.failed).toEqual(['no_sender']);
    expect(receiver.requests).toHaveLength(0);
  });

  it('treats a sender that throws as a transient fault, and survives a queue that cannot take the retry', async () => {
    const { messageId } = await queued();
    const throwing: ChannelSender = { channel: 'api', send: () => Promise.reject(new Error('socket exploded')) };
    const { run } = processor({ senders: new Map([['api', throwing]]), queue: recordingDriver({ failEnqueue: true }) });
    await run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'socket exploded' });
    expect(events.enqueueFailed).toBe(1);
  });

  it('throws when the database is down, before sending', async () => {
    const { messageId } = await queued();
    const { run } = processor({ database: failingAfter(test.database, 1) });
    await expect(run({ outboundMessageId: messageId, attempt: 1 }, context(1))).rejects.toThrow(/ECONNREFUSED/);
    expect(receiver.requests).toHaveLength(0);
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('throws when the outcome cannot be recorded; the queue re-runs the attempt (the receiver dedupes on the id)', async () => {
    const { messageId } = await queued();
    const broken = processor({ database: failingAfter(test.database, 2) });
    await expect(broken.run({ outboundMessageId: messageId, attempt: 1 }, context(1))).rejects.toThrow(/ECONNREFUSED/);
    const leased = await findOutboundMessage(test.database, messageId);
    expect(leased).toMatchObject({ status: 'queued', attempts: 0 });
    expect(leased?.nextAttemptAt?.getTime()).toBeGreaterThan(AT.getTime());
    await processor().run({ outboundMessageId: messageId, attempt: 1 }, context(1));
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(receiver.requests.map((request) => request.headers['ombuds-delivery'])).toEqual([messageId, messageId]);
  });

  it('rolls the failure back when onFailed throws, so the job is retried', async () => {
    const { messageId } = await queued();
    receiver.enqueue(reply.badRequest(400));
    const { run } = processor({ onFailed: () => Promise.reject(new Error('audit down')) });
    await expect(run({ outboundMessageId: messageId, attempt: 1 }, context(1))).rejects.toThrow('audit down');
    expect(await findOutboundMessage(test.database, messageId)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('reconciles: re-enqueues due rows with their next attempt id, not leased or future ones', async () => {
    const due = await queued();
    const retrying = await queued();
    receiver.enqueue(reply.serverError(500));
    await processor().run({ outboundMessageId: retrying.messageId, attempt: 1 }, context(1));
    const leased = await queued();
    await test.database.query('UPDATE messages SET next_attempt_at = $2 WHERE id = $1', [leased.messageId, new Date(AT.getTime() + 3_600_000)]);
    const sent = await queued();
    await processor().run({ outboundMessageId: sent.messageId, attempt: 1 }, context(1));

    const driver = recordingDriver();
    const count = await reconcileOutbound(test.database, driver, new Date(AT.getTime() + 120_000), 1);
    const ids = driver.jobs.map((job) => job.options.jobId);
    expect(driver.retriedFailed).toEqual(['outbound']);
    expect(count).toBe(driver.jobs.length);
    expect(ids).toContain(`outbound-${due.messageId}-1`);
    expect(ids).toContain(`outbound-${retrying.messageId}-2`);
    expect(driver.jobs.find((job) => job.options.jobId === `outbound-${retrying.messageId}-2`)?.payload).toEqual({ outboundMessageId: retrying.messageId, attempt: 2 });
    expect(ids.some((id) => id.includes(leased.messageId) || id.includes(sent.messageId))).toBe(false);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
