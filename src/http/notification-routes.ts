/**
 * The staff notification feed: `GET /v1/notifications?after=<id>&limit=` returns what happened since `after`
 * (breaches, warnings, escalations, new work), oldest first; the console polls with the returned `next`.
 * Supervisors and admins see every notification; an agent sees their teams' (`team:<name>`) and their own
 * (`staff:<id>`).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { StaffMember } from '../contracts/index.js';
import { PayloadInvalid } from '../shared/errors.js';
import { listNotifications, type Database } from '../store/index.js';
import type { Authenticator } from './authentication.js';

export const NotificationQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface NotificationView {
  id: number;
  kind: string;
  complaintId: string | null;
  audience: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface NotificationFeed {
  items: NotificationView[];
  /** The last id returned (or `after` when nothing is new): pass it as `after` next time. */
  next: number;
}

/** The audiences a staff member reads; null = all. */
export function audiencesOf(staff: StaffMember): string[] | null {
  if (staff.role !== 'agent') return null;
  return [...staff.teams.map((team) => `team:${team}`), `staff:${staff.id}`];
}

function zodDetails(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(query)', message: issue.message }));
}

export function notificationRoutes(deps: { database: Database; authenticator: Authenticator }): Router {
  const router = Router();

  router.get('/v1/notifications', async (request, response) => {
    const staff = await deps.authenticator.staff(request);
    const parsed = NotificationQuery.safeParse(request.query);
    if (!parsed.success) throw new PayloadInvalid('Invalid query parameters.', zodDetails(parsed.error.issues));
    const rows = await listNotifications(deps.database, {
      afterId: parsed.data.after,
      limit: parsed.data.limit,
      audiences: audiencesOf(staff),
    });
    const items: NotificationView[] = rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      complaintId: row.complaintId,
      audience: row.audience,
      data: row.data,
      createdAt: row.at.toISOString(),
    }));
    const body: NotificationFeed = { items, next: items.at(-1)?.id ?? parsed.data.after };
    response.json(body);
  });

  return router;
}
