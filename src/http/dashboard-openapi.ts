/**
 * The supervision dashboard in the OpenAPI document (dashboard-routes.ts): its schemas (src/contracts/console.ts)
 * and path item, merged by openapi.ts.
 */
import type { z } from 'zod';
import { DashboardView } from '../contracts/index.js';

export const DASHBOARD_OUTPUT_SCHEMAS: Record<string, z.ZodType> = { DashboardView };

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const date = (name: string, description: string) => ({ name, in: 'query', required: true, description, schema: { type: 'string', format: 'date' } });

export function dashboardPathItems(): Record<string, Record<string, unknown>> {
  return {
    '/v1/reports/dashboard': {
      get: {
        summary: 'The supervision dashboard: volumes, deadlines, clocks at risk, time per stage, satisfaction, team load',
        description:
          'Supervisors and admins. Volumes (per bucket and channel, every bucket included), products, issues, share within deadline and time per stage are about the complaints received in the window (as the summary report); satisfaction is about the survey answers given in it; open breaches, complaints past the warning point of their earliest open clock (the last of TIMER_WARNING_POINTS; at most 100 each) and team load are as of now. Buckets are the bank’s days, ISO weeks (Monday) or months, named by their first day. `format=csv`: one section per table (its name, a header line, its rows; a blank line between), as an attachment named after the window.',
        operationId: 'getDashboard',
        security: [{ staffKey: [] }],
        parameters: [
          date('from', 'First day (bank time zone).'),
          date('to', 'Last day, included (bank time zone); at most 366 days after `from`.'),
          { name: 'interval', in: 'query', required: false, schema: { type: 'string', enum: ['day', 'week', 'month'], default: 'day' } },
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        responses: {
          '200': {
            description: 'The dashboard.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/DashboardView' } }, 'text/csv': { schema: { type: 'string' } } },
          },
          '400': errorResponse('A bad query (`PAYLOAD_INVALID`), or a window that is inverted (`REPORT_WINDOW_INVERTED`) or too long (`REPORT_WINDOW_TOO_LONG`).'),
          '401': errorResponse('Missing or wrong staff key or session (`UNAUTHENTICATED`).'),
          '403': errorResponse('Agents may not see the dashboard (`FORBIDDEN`).'),
        },
      },
    },
  };
}
