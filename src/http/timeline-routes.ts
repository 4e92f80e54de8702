/**
 * `GET /v1/complaints/{id}/timeline` (issue 8): the whole conversation of a complaint across channels in one
 * timeline — customer, bot, agent, internal notes and stage changes, hotline calls turn by turn (store/timeline.ts).
 * The same visibility as the complaint's view: an agent outside its teams and assignment gets 404.
 */
import { Router } from 'express';
import type { TimelineView } from '../contracts/index.js';
import { readTimeline, type Database } from '../store/index.js';
import type { Authenticator } from './authentication.js';
import { findVisibleComplaint } from './staff-routes.js';

export function timelineRoutes(deps: { database: Database; authenticator: Authenticator }): Router {
  const router = Router();
  router.get('/v1/complaints/:id/timeline', async (request, response) => {
    const staff = await deps.authenticator.staff(request);
    const complaint = await findVisibleComplaint(deps.database, request.params.id, staff);
    const body: TimelineView = { entries: await readTimeline(deps.database, complaint.id) };
    response.json(body);
  });
  return router;
}
