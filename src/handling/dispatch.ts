/**
 * Downstream events and the staff feed (decision 0009). The {@link EventDispatcher} writes, inside the caller's
 * transaction, one delivery row per webhook subscription that wants an event (and returns their `dispatch` jobs)
 * or one staff notification. The dispatch processor POSTs one delivery attempt, signed, and records the outcome:
 * 2xx delivered; retryable (429, 5xx, timeouts, network) retried as a new delayed job `dispatch-<id>-<attempt>`
 * with exponential backoff and jitter, at least the receiver's Retry-After; permanent (other 4xx, a URL that is or
 * resolves to a non-public address: shared/outbound-address-guard.ts) or out of attempts failed. The POST happens outside any transaction (a slow receiver holds no lock); the outcome is
 * recorded only if the row is still at the attempt that was sent. Deliveries are at least once: receivers
 * deduplicate by `Ombuds-Delivery`.
 */
import { jobIds } from '../contracts/index.js';
import type { FollowUpJob, Processor, QueueDriver } from '../queue/index.js';
import type { Clock } from '../shared/clock.js';
import { postForDelivery, retryDelayMs, type DeliveryOutcome } from '../shared/http-delivery.js';
import { createOutboundAddressGuard, type OutboundAddressGuard } from '../shared/outbound-address-guard.js';
import type { Logger } from '../shared/logger.js';
import { SIGNATURE_HEADER, signBody } from '../shared/signing.js';
import {
  insertDeliveriesForEvent,
  insertNotification,
  listDueDeliveries,
  lockDelivery,
  markDeliveryFailed,
  markDelivered,
  markDeliveryRetrying,
  type Database,
  type LockedDelivery,
} from '../store/index.js';
import type { EventDispatcher } from './ports.js';

export function createEventDispatcher(): EventDispatcher {
  return {
    async emit(tx, event) {
      const ids = await insertDeliveriesForEvent(tx, { type: event.type, complaintId: event.complaintId, payload: event.data, at: event.at });
      return ids.map((deliveryId): FollowUpJob => ({
        queue: 'dispatch',
        payload: { deliveryId, attempt: 1 },
        options: { jobId: jobIds.dispatch(deliveryId, 1) },
      }));
    },
    async notify(tx, notification) {
      await insertNotification(tx, notification);
    },
  };
}

/** Counts outcomes (wired to metrics in main.ts). `type` is the event type. */
export interface DispatchObserver {
  delivered(type: string): void;
  retrying(type: string, status?: number): void;
  failed(type: string): void;
}

export interface DispatchProcessorConfig {
  database: Database;
  queue: QueueDriver;
  clock: Clock;
  /** POSTs per delivery, first included (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Limit of one POST (OUTBOUND_TIMEOUT_MS). */
  timeoutMs: number;
  /** Which addresses subscriptions may be delivered to (OUTBOUND_ALLOW_PRIVATE_NETWORKS); default: public only. */
  addressGuard?: OutboundAddressGuard;
  observer?: DispatchObserver;
  logger?: Logger;
  /** Jitter source (tests). */
  random?: () => number;
}

type Recorded =
  | { kind: 'stale' }
  | { kind: 'delivered' }
  | { kind: 'failed' }
  | { kind: 'retrying'; nextAttempt: number; delayMs: number };

function isFinal(row: LockedDelivery): boolean {
  return row.status === 'delivered' || row.status === 'failed';
}

export function createDispatchProcessor(config: DispatchProcessorConfig): Processor<'dispatch'> {
  const { database, clock } = config;
  const guard = config.addressGuard ?? createOutboundAddressGuard({ allowPrivateNetworks: false });

  /** Records the outcome of attempt `attempt`, unless the row moved on meanwhile (another run of the job). */
  async function record(deliveryId: string, attempt: number, outcome: DeliveryOutcome): Promise<Recorded> {
    return database.transaction(async (tx): Promise<Recorded> => {
      const row = await lockDelivery(tx, deliveryId);
      if (!row || isFinal(row) || row.attempts !== attempt - 1) return { kind: 'stale' };
      const now = clock.now();
      if (outcome.ok) {
        await markDelivered(tx, deliveryId, { status: outcome.status ?? 200, at: now });
        return { kind: 'delivered' };
      }
      const error = outcome.error ?? 'delivery failed';
      if (!outcome.retryable || attempt >= config.maxAttempts) {
        await markDeliveryFailed(tx, deliveryId, {
          status: outcome.status ?? null,
          error: outcome.retryable ? `${error} (gave up after ${attempt} attempts)` : error,
          attempted: true,
        });
        return { kind: 'failed' };
      }
      const delayMs = retryDelayMs(attempt, {
        baseMs: config.retryBaseMs,
        maxMs: config.retryMaxMs,
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
        ...(config.random ? { random: config.random } : {}),
      });
      await markDeliveryRetrying(tx, deliveryId, {
        status: outcome.status ?? null,
        error,
        nextAttemptAt: new Date(now.getTime() + delayMs),
      });
      return { kind: 'retrying', nextAttempt: attempt + 1, delayMs };
    });
  }

  return async (payload) => {
    const { deliveryId, attempt } = payload;
    const claimed = await database.transaction(async (tx) => {
      const row = await lockDelivery(tx, deliveryId);
      // Unknown, finished, or not the attempt the row waits for (a stale or duplicated job): nothing to do.
      if (!row || isFinal(row) || row.attempts !== attempt - 1) return null;
      if (row.subscriptionDisabled) {
        await markDeliveryFailed(tx, deliveryId, { status: null, error: 'subscription disabled', attempted: false });
        return { row, disabled: true };
      }
      return { row, disabled: false };
    });
    if (!claimed) return;
    const { row } = claimed;
    if (claimed.disabled) {
      config.observer?.failed(row.eventType);
      config.logger?.info({ deliveryId, subscriptionId: row.subscriptionId }, 'webhook delivery failed: subscription disabled');
      return;
    }

    const body = JSON.stringify(row.payload);
    const outcome = await postForDelivery(row.url, {
      body,
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signBody(row.secret, body, clock.now()),
        'Ombuds-Event': row.eventType,
        'Ombuds-Delivery': row.id,
        'Ombuds-Attempt': String(attempt),
        'user-agent': 'Ombuds-Webhooks',
      },
      timeoutMs: config.timeoutMs,
      now: () => clock.now(),
      guard,
    });

    const recorded = await record(deliveryId, attempt, outcome);
    const type = row.eventType;
    const context = { deliveryId, subscriptionId: row.subscriptionId, attempt, status: outcome.status, error: outcome.error };
    switch (recorded.kind) {
      case 'stale':
        return;
      case 'delivered':
        config.observer?.delivered(type);
        return;
      case 'failed':
        config.observer?.failed(type);
        config.logger?.warn(context, 'webhook delivery failed');
        return;
      case 'retrying':
        config.observer?.retrying(type, outcome.status);
        config.logger?.info({ ...context, delayMs: recorded.delayMs }, 'webhook delivery will be retried');
        // The row is recorded; if this enqueue is lost, the reconciler re-creates the job once the row is due.
        await config.queue
          .enqueue(
            'dispatch',
            { deliveryId, attempt: recorded.nextAttempt },
            { jobId: jobIds.dispatch(deliveryId, recorded.nextAttempt), delayMs: recorded.delayMs },
          )
          .catch((error: unknown) => {
            config.logger?.warn({ err: error, deliveryId }, 'could not enqueue the next webhook attempt; the reconciler will');
          });
        return;
    }
  };
}

/**
 * Re-enqueues every queued or retrying delivery due at `now` as the job of its next attempt (a no-op for jobs that
 * still exist). Run at start-up and with the other reconcilers; returns how many were enqueued.
 */
export async function reconcileDispatch(database: Database, driver: QueueDriver, now: Date, pageSize = 500): Promise<number> {
  await driver.retryFailed('dispatch');
  let total = 0;
  let after: { nextAttemptAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listDueDeliveries(database, { now, limit: pageSize, ...(after ? { after } : {}) });
    if (page.length === 0) break;
    await driver.enqueueMany(
      'dispatch',
      page.map((row) => ({
        payload: { deliveryId: row.id, attempt: row.attempts + 1 },
        options: { jobId: jobIds.dispatch(row.id, row.attempts + 1) },
      })),
    );
    total += page.length;
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) break;
    after = { nextAttemptAt: last.nextAttemptAt, id: last.id };
  }
  return total;
}
