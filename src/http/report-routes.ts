/**
 * Supervisors' reports: `GET /v1/reports/summary?from&to&groupBy&format` (supervisors and admins only). JSON by
 * default; CSV with `format=csv` or `Accept: text/csv` (as an attachment named after the window's dates).
 */
import { Router, type Request } from 'express';
import { ReportQuery } from '../contracts/index.js';
import { reportWindow, reportWindowDates, summaryReport, toCsv } from '../handling/index.js';
import { Forbidden, PayloadInvalid } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import type { Authenticator } from './authentication.js';

function wantsCsv(request: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  return request.accepts(['application/json', 'text/csv']) === 'text/csv';
}

export function reportRoutes(deps: { database: Database; authenticator: Authenticator; timeZone: string }): Router {
  const router = Router();

  router.get('/v1/reports/summary', async (request, response) => {
    const staff = await deps.authenticator.staff(request);
    if (staff.role === 'agent') throw new Forbidden('Reports are for supervisors and admins.');
    const parsed = ReportQuery.safeParse(request.query);
    if (!parsed.success) {
      throw new PayloadInvalid(
        'Invalid report query: from and to are ISO dates (YYYY-MM-DD, bank time zone, to included) or date-times.',
        parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(query)', message: issue.message })),
      );
    }
    const query = parsed.data;
    const window = reportWindow(query.from, query.to, deps.timeZone);
    const report = await summaryReport(deps.database, { ...window, timeZone: deps.timeZone, ...(query.groupBy ? { groupBy: query.groupBy } : {}) });
    response.vary('Accept');
    if (wantsCsv(request, query.format)) {
      const dates = reportWindowDates(window, deps.timeZone);
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="ombuds-report-${dates.from}-${dates.to}.csv"`);
      response.send(toCsv(report));
      return;
    }
    response.json(report);
  });

  return router;
}
