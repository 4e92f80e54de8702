/**
 * The staff notification feed (`notifications`): breaches, warnings, escalations and new work, each addressed to
 * an audience (`supervisors`, `team:<name>`, `staff:<id>`). Ids grow, so the console polls with `after`.
 */
import type { Queryable } from './database.js';

export interface NotificationInput {
  kind: string;
  complaintId: string | null;
  /** `supervisors`, `team:<name>` or `staff:<id>`. */
  audience: string;
  data: Record<string, unknown>;
  at: Date;
}

export interface NotificationRow extends NotificationInput {
  id: number;
}

/** Writes one notification; returns its id. */
export async function insertNotification(tx: Queryable, notification: NotificationInput): Promise<number> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO notifications (kind, complaint_id, audience, data, created_at) VALUES ($1, $2::uuid, $3, $4::jsonb, $5)
     RETURNING id::text AS id`,
    [notification.kind, notification.complaintId, notification.audience, JSON.stringify(notification.data), notification.at],
  );
  const row = result.rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return Number(row.id);
}

/** Notifications after `afterId`, oldest first; `audiences` null = every audience. */
export async function listNotifications(
  tx: Queryable,
  options: { afterId: number; limit: number; audiences: readonly string[] | null },
): Promise<NotificationRow[]> {
  const result = await tx.query<{
    id: string;
    kind: string;
    complaint_id: string | null;
    audience: string;
    data: Record<string, unknown>;
    created_at: Date;
  }>(
    `SELECT id::text AS id, kind, complaint_id, audience, data, created_at FROM notifications
     WHERE id > $1::bigint AND ($2::text[] IS NULL OR audience = ANY ($2::text[]))
     ORDER BY id LIMIT $3`,
    [options.afterId, options.audiences, options.limit],
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    complaintId: row.complaint_id,
    audience: row.audience,
    data: row.data,
    at: row.created_at,
  }));
}
