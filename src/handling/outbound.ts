/**
 * Customer-facing outbound messages (decision 0009, "rows before jobs"): the queue that writes a message row on the
 * complaint's conversation inside the caller's transaction, the `outbound` processor that delivers it through the
 * channel's {@link ChannelSender} with its own retries, and the reconciler that re-enqueues what the queue lost.
 *
 * Delivery runs in three steps so no row lock is held across a network call: (1) a short transaction locks the row,
 * checks it is still pending and that the job is its next attempt (`payload.attempt = attempts + 1`; anything else
 * is a stale or repeated job and does nothing) and leases it (`next_attempt_at` moved past the send, so the
 * reconciler leaves it alone); (2) the sender is called outside any transaction; (3) a short transaction re-locks
 * the row, re-checks it and records the outcome (sent; retrying with the next attempt's job, delayed by backoff and
 * at least the receiver's Retry-After; or failed, with `onFailed` in the same transaction). A duplicate send is
 * possible only when the worker dies, or the database fails, between (2) and (3): the job is then run again for
 * the same attempt. Receivers deduplicate on the message id (`OutboundDelivery.messageId`).
 *
 * A first attempt lets an earlier message of the same conversation still queued go first (waiting at most
 * `orderWaitMs`), so a chat customer reads a dialog turn's replies in the order they were written.
 *
 * Send failures never throw out of the processor (it schedules its own retries); database failures do, so the
 * queue retries the job.
 */
import { randomUUID } from 'node:crypto';
import { jobIds, type ChannelSender, type OutboundDelivery, type OutboundPurpose, type SendResult } from '../contracts/index.js';
import type { FollowUpJob, Processor, QueueDriver } from '../queue/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { OmbudsError } from '../shared/errors.js';
import { retryDelayMs } from '../shared/http-delivery.js';
import {
  findComplaintConversation,
  hasEarlierQueuedOutbound,
  insertOutboundMessage,
  leaseOutbound,
  listDueOutbound,
  lockOutboundForDelivery,
  markOutboundFailed,
  markOutboundRetrying,
  markOutboundSent,
  type Database,
  type OutboundMessageRow,
  type Queryable,
} from '../store/index.js';
import type { OutboundQueue, OutboundRequest } from './ports.js';

/** The complaint has no inbound message, so there is no conversation or channel to answer on. */
export class NoConversation extends OmbudsError {
  constructor(complaintId: string, channel?: string) {
    super('NO_CONVERSATION', channel ? `The customer of complaint ${complaintId} has not written on ${channel} about it.` : `Complaint ${complaintId} has no conversation to send a message on.`, {
      httpStatus: 409,
    });
  }
}

export function createOutboundQueue(options: { clock?: Clock; newId?: () => string } = {}): OutboundQueue {
  const newId = options.newId ?? randomUUID;
  return {
    async queueMessage(tx: Queryable, request: OutboundRequest): Promise<{ messageId: string; jobs: FollowUpJob[] }> {
      const conversation = await findComplaintConversation(tx, request.complaintId, request.channel);
      if (!conversation) throw new NoConversation(request.complaintId, request.channel);
      const messageId = newId();
      // The request's `at` stamps the row (the action's time); the clock is only the fallback for a missing one.
      const at = Number.isNaN(request.at.getTime()) ? (options.clock ?? systemClock).now() : request.at;
      await insertOutboundMessage(tx, {
        id: messageId,
        complaintId: request.complaintId,
        conversationKey: conversation.conversationKey,
        channel: conversation.channel,
        replyAddress: conversation.replyAddress,
        text: request.text,
        quickReplies: request.quickReplies ?? [],
        purpose: request.purpose,
        language: request.language,
        sentBy: request.actor,
        at,
      });
      return {
        messageId,
        jobs: [{ queue: 'outbound', payload: { outboundMessageId: messageId, attempt: 1 }, options: { jobId: jobIds.outbound(messageId, 1) } }],
      };
    },
  };
}

export type OutboundFailureReason = 'permanent' | 'exhausted' | 'no_sender';

/** What `onFailed` is told about a message that will not be delivered. */
export interface OutboundFailure {
  messageId: string;
  complaintId: string;
  complaintReference: string | null;
  channel: string;
  purpose: OutboundPurpose;
  /** Attempts made, this one included. */
  attempts: number;
  reason: OutboundFailureReason;
  error: string;
  status?: number;
  at: Date;
}

export interface OutboundObserver {
  sent(channel: string): void;
  retrying(channel: string, status?: number): void;
  failed(channel: string, reason: OutboundFailureReason): void;
  /** The next attempt's job could not be enqueued; the reconciler will enqueue it when it is due. */
  enqueueFailed?(channel: string, error: unknown): void;
}

export interface OutboundProcessorConfig {
  database: Database;
  /** Senders by channel name. */
  senders: ReadonlyMap<string, ChannelSender>;
  queue: QueueDriver;
  clock: Clock;
  /** OUTBOUND_MAX_ATTEMPTS: attempts per message, the first included. */
  maxAttempts: number;
  /** RETRY_BASE_MS, RETRY_MAX_MS: exponential backoff with jitter between attempts. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a row is kept from the reconciler while one attempt is in flight; default 5 minutes. */
  leaseMs?: number;
  observer?: OutboundObserver;
  /** Called in the transaction that marks a message failed (the lead's audit event and staff notification). */
  onFailed?: (tx: Queryable, failure: OutboundFailure) => Promise<void>;
  /** How long a first attempt waits for an earlier message of its conversation to go first (default 2 s; 0 = never). */
  orderWaitMs?: number;
  /** For tests of the jitter; default Math.random. */
  random?: () => number;
}

const DEFAULT_LEASE_MS = 5 * 60 * 1000;
const DEFAULT_ORDER_WAIT_MS = 2_000;
const ORDER_POLL_MS = 20;
const PENDING = new Set(['queued', 'retrying']);

function isNextAttempt(row: OutboundMessageRow, attempt: number): boolean {
  return PENDING.has(row.status) && row.attempts + 1 === attempt;
}

function deliveryOf(row: OutboundMessageRow, attempt: number): OutboundDelivery {
  return {
    messageId: row.id,
    channel: row.channel,
    conversationKey: row.conversationKey,
    replyAddress: row.replyAddress,
    text: row.text,
    quickReplies: row.quickReplies,
    complaintReference: row.complaintReference,
    purpose: row.purpose,
    language: row.language,
    attempt,
  };
}

async function sendSafely(sender: ChannelSender, delivery: OutboundDelivery): Promise<SendResult> {
  try {
    return await sender.send(delivery);
  } catch (error) {
    // A sender should answer, not throw; one that throws is treated as a transient fault.
    return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
  }
}

export function createOutboundProcessor(config: OutboundProcessorConfig): Processor<'outbound'> {
  const leaseMs = config.leaseMs ?? DEFAULT_LEASE_MS;
  const orderWaitMs = config.orderWaitMs ?? DEFAULT_ORDER_WAIT_MS;

  /** Lets an earlier message of the same conversation go first (bounded: a stuck one does not hold this back). */
  async function waitForEarlier(id: string): Promise<void> {
    const giveUpAt = Date.now() + orderWaitMs;
    while (Date.now() < giveUpAt && (await hasEarlierQueuedOutbound(config.database, id))) {
      await new Promise((resolve) => setTimeout(resolve, ORDER_POLL_MS));
    }
  }

  async function fail(
    tx: Queryable,
    row: OutboundMessageRow,
    attempt: number,
    failure: { reason: OutboundFailureReason; error: string; status?: number },
  ): Promise<void> {
    const at = config.clock.now();
    await markOutboundFailed(tx, row.id, { error: failure.error, at });
    await config.onFailed?.(tx, {
      messageId: row.id,
      complaintId: row.complaintId,
      complaintReference: row.complaintReference,
      channel: row.channel,
      purpose: row.purpose,
      attempts: attempt,
      reason: failure.reason,
      error: failure.error,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      at,
    });
  }

  return async (payload) => {
    const { outboundMessageId: id, attempt } = payload;
    if (attempt === 1 && orderWaitMs > 0) await waitForEarlier(id);

    // (1) Decide and lease, in a short transaction. No sender: fail at once, in the same transaction.
    const claimed = await config.database.transaction(async (tx) => {
      const row = await lockOutboundForDelivery(tx, id);
      if (!row || !isNextAttempt(row, attempt)) return null;
      const sender = config.senders.get(row.channel);
      if (!sender) {
        await fail(tx, row, attempt, { reason: 'no_sender', error: `no sender for channel "${row.channel}"` });
        return { row, sender: null };
      }
      await leaseOutbound(tx, id, new Date(config.clock.now().getTime() + leaseMs));
      return { row, sender };
    });
    if (!claimed) return;
    if (!claimed.sender) {
      config.observer?.failed(claimed.row.channel, 'no_sender');
      return;
    }

    // (2) Send, outside any transaction.
    const result = await sendSafely(claimed.sender, deliveryOf(claimed.row, attempt));

    // (3) Record the outcome, in a short transaction.
    const outcome = await config.database.transaction(async (tx): Promise<{ kind: 'sent' | 'stale' } | { kind: 'failed'; reason: OutboundFailureReason } | { kind: 'retry'; delayMs: number; row: OutboundMessageRow; status?: number }> => {
      const row = await lockOutboundForDelivery(tx, id);
      if (!row || !isNextAttempt(row, attempt)) return { kind: 'stale' };
      const now = config.clock.now();
      if (result.ok) {
        await markOutboundSent(tx, id, { vendorMessageId: result.vendorMessageId ?? null, at: now });
        return { kind: 'sent' };
      }
      if (!result.retryable) {
        await fail(tx, row, attempt, { reason: 'permanent', error: result.error, ...(result.status === undefined ? {} : { status: result.status }) });
        return { kind: 'failed', reason: 'permanent' };
      }
      if (attempt >= config.maxAttempts) {
        await fail(tx, row, attempt, {
          reason: 'exhausted',
          error: `${result.error} (gave up after ${attempt} attempts)`,
          ...(result.status === undefined ? {} : { status: result.status }),
        });
        return { kind: 'failed', reason: 'exhausted' };
      }
      const delayMs = retryDelayMs(attempt, {
        baseMs: config.retryBaseMs,
        maxMs: config.retryMaxMs,
        ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
        ...(config.random ? { random: config.random } : {}),
      });
      await markOutboundRetrying(tx, id, { error: result.error, nextAttemptAt: new Date(now.getTime() + delayMs) });
      return { kind: 'retry', delayMs, row, ...(result.status === undefined ? {} : { status: result.status }) };
    });

    switch (outcome.kind) {
      case 'stale':
        return;
      case 'sent':
        config.observer?.sent(claimed.row.channel);
        return;
      case 'failed':
        config.observer?.failed(claimed.row.channel, outcome.reason);
        return;
      case 'retry':
        config.observer?.retrying(outcome.row.channel, outcome.status);
        try {
          await config.queue.enqueue(
            'outbound',
            { outboundMessageId: id, attempt: attempt + 1 },
            { jobId: jobIds.outbound(id, attempt + 1), delayMs: outcome.delayMs },
          );
        } catch (error) {
          // The row says `retrying` with its next_attempt_at: the reconciler enqueues the attempt when it is due.
          config.observer?.enqueueFailed?.(outcome.row.channel, error);
        }
        return;
    }
  };
}

/**
 * Re-enqueues every queued or retrying outbound message whose next attempt is due, with the job id of that
 * attempt (a job still waiting is not added twice). Returns how many were enqueued.
 */
export async function reconcileOutbound(database: Database, driver: QueueDriver, now: Date, pageSize = 500): Promise<number> {
  // Jobs that failed outside the processor's reach (database down at their last try) keep their ids: release them.
  await driver.retryFailed('outbound');
  let total = 0;
  let after: { nextAttemptAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listDueOutbound(database, { now, limit: pageSize, ...(after ? { after } : {}) });
    if (page.length === 0) break;
    await driver.enqueueMany(
      'outbound',
      page.map((row) => ({
        payload: { outboundMessageId: row.id, attempt: row.nextAttempt },
        options: { jobId: jobIds.outbound(row.id, row.nextAttempt) },
      })),
    );
    total += page.length;
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) break;
    after = { nextAttemptAt: last.nextAttemptAt, id: last.id };
  }
  return total;
}
