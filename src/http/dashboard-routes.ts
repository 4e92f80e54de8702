/**
 * `GET /v1/reports/dashboard?from&to&interval&format` (issue 8 item 5): the supervision dashboard's figures for
 * supervisors and admins (agents 403). `from` and `to` are the bank's civil dates (`to` included), as for the
 * summary report; JSON by default, CSV with `format=csv` (an attachment named after the window's dates).
 */
import { Router } from 'express';
import { DashboardQuery } from '../contracts/index.js';
import { dashboardCsv, dashboardView, reportWindow, reportWindowDates } from '../handling/index.js';
import type { Clock } from '../shared/clock.js';
import { Forbidden, PayloadInvalid } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import type { Authenticator } from './authentication.js';

export interface DashboardRouteOptions {
  database: Database;
  authenticator: Authenticator;
  timeZone: string;
  clock: Clock;
  /** TIMER_WARNING_POINTS: "about to breach" is past the last of them. */
  warningPoints: readonly number[];
}

export function dashboardRoutes(deps: DashboardRouteOptions): Router {
  const router = Router();

  router.get('/v1/reports/dashboard', async (request, response) => {
    const staff = await deps.authenticator.staff(request);
    if (staff.role === 'agent') throw new Forbidden('The dashboard is for supervisors and admins.');
    const parsed = DashboardQuery.safeParse(request.query);
    if (!parsed.success) {
      throw new PayloadInvalid(
        'Invalid dashboard query: from and to are ISO dates (YYYY-MM-DD, bank time zone, to included); interval is day, week or month.',
        parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(query)', message: issue.message })),
      );
    }
    const query = parsed.data;
    const window = reportWindow(query.from, query.to, deps.timeZone);
    const view = await dashboardView(deps.database, { ...window, interval: query.interval, timeZone: deps.timeZone, now: deps.clock.now(), warningPoints: deps.warningPoints });
    if (query.format === 'csv') {
      const dates = reportWindowDates(window, deps.timeZone);
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="ombuds-dashboard-${dates.from}-${dates.to}.csv"`);
      response.send(dashboardCsv(view));
      return;
    }
    response.json(view);
  });

  return router;
}
