/**
 * Downstream webhooks (decision 0009): the subscriptions the bank's helpdesk registers, and the delivery outbox
 * (`webhook_deliveries`), one row per subscription and event, written in the transaction that raised the event.
 * A delivery is queued → (retrying →)* delivered | failed; `attempts` counts the POSTs made and `next_attempt_at`
 * tells the reconciler when a queued or retrying row is due again, so a lost job is re-created from the row.
 */
import type { Queryable } from './database.js';

export interface WebhookSubscriptionRow {
  id: string;
  url: string;
  events: string[];
  createdAt: Date;
  disabledAt: Date | null;
}

export type WebhookDeliveryStatus = 'queued' | 'retrying' | 'delivered' | 'failed';

/** A delivery locked for an attempt, with what sending it needs (the subscription's url and secret). */
export interface LockedDelivery {
  id: string;
  subscriptionId: string;
  eventType: string;
  complaintId: string | null;
  /** The stored envelope `{ id, type, createdAt, data }`: the POST body is exactly its JSON. */
  payload: Record<string, unknown>;
  status: WebhookDeliveryStatus;
  attempts: number;
  url: string;
  secret: string;
  subscriptionDisabled: boolean;
}

export interface DueDelivery {
  id: string;
  attempts: number;
  nextAttemptAt: Date;
}

interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  created_at: Date;
  disabled_at: Date | null;
}

export async function insertWebhookSubscription(
  tx: Queryable,
  subscription: { id: string; url: string; secret: string; events: readonly string[]; at: Date },
): Promise<WebhookSubscriptionRow> {
  const result = await tx.query<SubscriptionRow>(
    `INSERT INTO webhook_subscriptions (id, url, secret, events, created_at) VALUES ($1, $2, $3, $4::text[], $5)
     RETURNING id, url, events, created_at, disabled_at`,
    [subscription.id, subscription.url, subscription.secret, subscription.events, subscription.at],
  );
  const row = result.rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return toSubscription(row);
}

/** Every subscription, oldest first, without secrets (they are shown once, at creation). */
export async function listWebhookSubscriptions(tx: Queryable): Promise<WebhookSubscriptionRow[]> {
  const result = await tx.query<SubscriptionRow>(
    `SELECT id, url, events, created_at, disabled_at FROM webhook_subscriptions ORDER BY created_at, id`,
  );
  return result.rows.map(toSubscription);
}

/** Stops new deliveries to a subscription (its pending ones fail without being sent). False when unknown. */
export async function disableWebhookSubscription(tx: Queryable, id: string, at: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE webhook_subscriptions SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1::uuid`,
    [id, at],
  );
  return result.rowCount > 0;
}

/**
 * One queued delivery per enabled subscription whose `events` contain `type`, in one statement. The stored
 * payload is the envelope `{ id: <delivery id>, type, createdAt, data: { complaintId, …payload } }`. Returns the
 * new delivery ids (none when nobody subscribes).
 */
export async function insertDeliveriesForEvent(
  tx: Queryable,
  event: { type: string; complaintId: string | null; payload: Record<string, unknown>; at: Date },
): Promise<string[]> {
  // The CTE holds a volatile function, so PostgreSQL materialises it: each id is generated once and used twice.
  const result = await tx.query<{ id: string }>(
    `WITH targets AS (
       SELECT gen_random_uuid() AS id, s.id AS subscription_id FROM webhook_subscriptions s
       WHERE s.disabled_at IS NULL AND $1::text = ANY (s.events)
     )
     INSERT INTO webhook_deliveries (id, subscription_id, event_type, complaint_id, payload, status, next_attempt_at, created_at)
     SELECT t.id, t.subscription_id, $1::text, $2::uuid,
       jsonb_build_object(
         'id', t.id::text, 'type', $1::text, 'createdAt', $5::text,
         'data', CASE WHEN $2::uuid IS NULL THEN $3::jsonb ELSE jsonb_build_object('complaintId', $2::uuid::text) || $3::jsonb END
       ),
       'queued', $4::timestamptz, $4::timestamptz
     FROM targets t
     RETURNING id`,
    [event.type, event.complaintId, JSON.stringify(event.payload), event.at, event.at.toISOString()],
  );
  return result.rows.map((row) => row.id);
}

/** Locks a delivery row (FOR UPDATE) with its subscription's url, secret and state; null when unknown. */
export async function lockDelivery(tx: Queryable, id: string): Promise<LockedDelivery | null> {
  const result = await tx.query<{
    id: string;
    subscription_id: string;
    event_type: string;
    complaint_id: string | null;
    payload: Record<string, unknown>;
    status: WebhookDeliveryStatus;
    attempts: number;
    url: string;
    secret: string;
    disabled_at: Date | null;
  }>(
    `SELECT d.id, d.subscription_id, d.event_type, d.complaint_id, d.payload, d.status, d.attempts, s.url, s.secret, s.disabled_at
     FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
     WHERE d.id = $1::uuid FOR UPDATE OF d`,
    [id],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventType: row.event_type,
    complaintId: row.complaint_id,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    url: row.url,
    secret: row.secret,
    subscriptionDisabled: row.disabled_at !== null,
  };
}

/** The attempt succeeded (`attempts` + 1). */
export async function markDelivered(tx: Queryable, id: string, outcome: { status: number; at: Date }): Promise<void> {
  await tx.query(
    `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL,
       next_attempt_at = NULL, delivered_at = $3 WHERE id = $1::uuid`,
    [id, outcome.status, outcome.at],
  );
}

/** The attempt failed and another is due at `nextAttemptAt` (`attempts` + 1). */
export async function markDeliveryRetrying(
  tx: Queryable,
  id: string,
  outcome: { status: number | null; error: string; nextAttemptAt: Date },
): Promise<void> {
  await tx.query(
    `UPDATE webhook_deliveries SET status = 'retrying', attempts = attempts + 1, last_status = $2, last_error = $3,
       next_attempt_at = $4 WHERE id = $1::uuid`,
    [id, outcome.status, outcome.error.slice(0, 1000), outcome.nextAttemptAt],
  );
}

/** Gives up on a delivery; `attempted` says whether this decision followed a POST (counted in `attempts`). */
export async function markDeliveryFailed(
  tx: Queryable,
  id: string,
  outcome: { status: number | null; error: string; attempted: boolean },
): Promise<void> {
  await tx.query(
    `UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + $4::int, last_status = COALESCE($2, last_status),
       last_error = $3, next_attempt_at = NULL WHERE id = $1::uuid`,
    [id, outcome.status, outcome.error.slice(0, 1000), outcome.attempted ? 1 : 0],
  );
}

/**
 * Queued or retrying deliveries whose next attempt is due at `now`, oldest due first; page on with `after` (the
 * last row of the previous page).
 */
export async function listDueDeliveries(
  tx: Queryable,
  options: { now: Date; limit: number; after?: { nextAttemptAt: Date; id: string } },
): Promise<DueDelivery[]> {
  const result = await tx.query<{ id: string; attempts: number; next_attempt_at: Date }>(
    `SELECT id, attempts, next_attempt_at FROM webhook_deliveries
     WHERE status IN ('queued', 'retrying') AND next_attempt_at <= $1
       AND ($3::timestamptz IS NULL OR (next_attempt_at, id) > ($3::timestamptz, $4::uuid))
     ORDER BY next_attempt_at, id LIMIT $2`,
    [options.now, options.limit, options.after?.nextAttemptAt ?? null, options.after?.id ?? null],
  );
  return result.rows.map((row) => ({ id: row.id, attempts: row.attempts, nextAttemptAt: row.next_attempt_at }));
}

function toSubscription(row: SubscriptionRow): WebhookSubscriptionRow {
  return { id: row.id, url: row.url, events: row.events, createdAt: row.created_at, disabledAt: row.disabled_at };
}
