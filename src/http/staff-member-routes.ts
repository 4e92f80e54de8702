/**
 * `GET /v1/staff/members?team=`: the staff a complaint can be assigned to, for the console's "Assign" form (and any
 * script with a staff key). Enabled staff only, without any credential material. Supervisors and admins may ask for
 * any team (or all); an agent only for their own teams (403 for another, as for the queue).
 */
import { Router } from 'express';
import { StaffDirectoryQuery, type StaffMemberList } from '../contracts/index.js';
import { PayloadInvalid } from '../shared/errors.js';
import { listAssignableStaff, type Database } from '../store/index.js';
import { teamsVisibleTo, type Authenticator } from './authentication.js';

export function staffMemberRoutes(deps: { database: Database; authenticator: Authenticator }): Router {
  const router = Router();

  router.get('/v1/staff/members', async (request, response) => {
    const staff = await deps.authenticator.staff(request);
    const parsed = StaffDirectoryQuery.safeParse(request.query);
    if (!parsed.success) {
      throw new PayloadInvalid(
        'Invalid query: team is a team name (lower-case identifier).',
        parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(query)', message: issue.message })),
      );
    }
    const teams = teamsVisibleTo(staff, parsed.data.team);
    const items = await listAssignableStaff(deps.database, teams);
    const body: StaffMemberList = { items: items.map((item) => ({ id: item.id, username: item.username, displayName: item.displayName, role: item.role, teams: item.teams })) };
    response.setHeader('Cache-Control', 'private, no-cache');
    response.json(body);
  });

  return router;
}
